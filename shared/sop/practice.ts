import Decimal from 'decimal.js';
import { evaluateChecklist } from './engine';
import type { AnswerValue, Answers, SopModule } from './module';
import { canonicalJson } from './versioning';

/**
 * Practice scoring: an operator's answers to a module's exercises against the expected ones.
 * Every expected answer is one point and each exercise's resolution (code and action) one more;
 * the score is the share of points, rounded down, so 79.9% never passes an 80% mark. Feedback is
 * per step, in the module's order, with the engine's own words for an answer it would refuse.
 */

export interface PracticeSubmission {
  readonly exerciseId: string;
  readonly answers: Answers;
  readonly resolution: { readonly code: string; readonly action: string };
}

export interface StepFeedback {
  readonly stepId: string;
  readonly title: string;
  readonly correct: boolean;
  readonly messages: string[];
}

export interface ExerciseFeedback {
  readonly exerciseId: string;
  readonly title: string;
  readonly points: number;
  readonly outOf: number;
  readonly steps: StepFeedback[];
  readonly resolution: { readonly correct: boolean; readonly message: string };
}

export interface PracticeResult {
  readonly moduleId: string;
  readonly version: string;
  readonly scorePercent: number;
  readonly passMarkPercent: number;
  readonly passed: boolean;
  readonly exercises: ExerciseFeedback[];
}

/** Used when a module names no pass mark: most of the answers must be right. */
export const DEFAULT_PASS_MARK_PERCENT = 80;

function normalised(value: AnswerValue): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v.trim() : v));
  if (typeof value === 'object' && 'amount' in value) {
    // 12.5 and 12.50 are the same amount; compared exactly, never as floats.
    return { amount: new Decimal(value.amount).toFixed(), currency: value.currency };
  }
  return value;
}

function sameAnswer(expected: AnswerValue, given: AnswerValue | undefined): boolean {
  if (given === undefined) return false;
  try {
    return canonicalJson(normalised(expected)) === canonicalJson(normalised(given));
  } catch {
    return false;
  }
}

const shown = (v: AnswerValue | undefined): string => (v === undefined ? 'nothing' : JSON.stringify(v));

export function scorePractice(module: SopModule, submitted: readonly PracticeSubmission[]): PracticeResult {
  const byExercise = new Map(submitted.map((s) => [s.exerciseId, s]));
  let points = 0;
  let outOf = 0;
  const exercises = module.exerciseList.map((exercise): ExerciseFeedback => {
    const given = byExercise.get(exercise.id);
    const answers: Answers = given?.answers ?? {};
    const state = evaluateChecklist({
      module,
      exception: exercise.exception,
      answers,
      today: exercise.exception.openedAt.slice(0, 10),
    });
    let exPoints = 0;
    let exOutOf = 0;
    const steps = module.stepList.map((step, i): StepFeedback => {
      const ids = [step.id, ...step.fields.map((f) => f.id)];
      const messages: string[] = [];
      let correct = true;
      for (const id of ids) {
        const expected = exercise.expected.answers[id];
        if (expected === undefined) continue;
        exOutOf += 1;
        if (sameAnswer(expected, answers[id])) exPoints += 1;
        else {
          correct = false;
          messages.push(`${id}: expected ${shown(expected)}, answered ${shown(answers[id])}`);
        }
      }
      const engine = state.steps[i];
      if (engine?.visible) {
        for (const p of engine.problems) if (p.kind === 'invalid') messages.push(p.message);
      }
      return { stepId: step.id, title: step.title, correct, messages };
    });
    exOutOf += 1;
    const want = exercise.expected.resolution;
    const got = given?.resolution;
    const resolutionOk = got?.code === want.code && got.action === want.action;
    if (resolutionOk) exPoints += 1;
    points += exPoints;
    outOf += exOutOf;
    return {
      exerciseId: exercise.id,
      title: exercise.title,
      points: exPoints,
      outOf: exOutOf,
      steps,
      resolution: {
        correct: resolutionOk,
        message: resolutionOk
          ? `${want.code} with ${want.action}`
          : `expected ${want.code} with ${want.action}, answered ${got ? `${got.code} with ${got.action}` : 'nothing'}`,
      },
    };
  });
  const scorePercent = outOf === 0 ? 0 : Math.floor((points * 100) / outOf);
  const passMarkPercent = module.certification?.passMarkPercent ?? DEFAULT_PASS_MARK_PERCENT;
  return {
    moduleId: module.id,
    version: module.version,
    scorePercent,
    passMarkPercent,
    passed: module.exerciseList.length > 0 && scorePercent >= passMarkPercent,
    exercises,
  };
}

/** The answers a trained operator gives: each exercise's expected answers and resolution. */
export function expectedSubmissions(module: SopModule): PracticeSubmission[] {
  return module.exerciseList.map((e) => ({
    exerciseId: e.id,
    answers: e.expected.answers,
    resolution: e.expected.resolution,
  }));
}
