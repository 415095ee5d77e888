import Decimal from 'decimal.js';
import type { ExceptionRecord } from '../exception';
import type { Money } from '../money';
import { amountProblem } from '../resolution-amount';
import { RESOLUTION_CODES, type ResolutionAction, type ResolutionCode } from '../resolution';
import { evaluateCondition, truthy, type ConditionData } from './condition';
import type { AnswerValue, Answers, SopField, SopModule, SopStep } from './module';

/**
 * The one SOP engine. The desktop runs it on every answer (what to show, what still blocks the
 * resolution); the server runs it again on every pushed result and refuses what it rejects. It
 * is pure: the same module, exception, answers and day give the same verdict everywhere.
 */

/** The exception fields a checklist reads (the queue's summary is enough; evidence is not read). */
export type ChecklistException = Omit<ExceptionRecord, 'evidence'>;

export interface ChecklistInput {
  readonly module: SopModule;
  readonly exception: ChecklistException;
  readonly answers: Answers;
  /** The operator's calendar day (ISO date), for date bounds such as "not before today". */
  readonly today: string;
}

export interface FieldProblem {
  /** The field id, or null for the step's own confirmation. */
  readonly field: string | null;
  /** missing: required and not answered yet; invalid: answered, but not acceptable. */
  readonly kind: 'missing' | 'invalid';
  /** What is wrong, without the field's label (shown beside the field itself). */
  readonly detail: string;
  /** The label and the detail, for lists away from the field. */
  readonly message: string;
}

export interface StepState {
  readonly id: string;
  readonly index: number;
  readonly visible: boolean;
  readonly required: boolean;
  readonly complete: boolean;
  /** Answers given but not valid, and (once anything is answered) what is still missing. */
  readonly problems: readonly FieldProblem[];
}

export interface OfferedResolution {
  readonly code: ResolutionCode;
  readonly label: string;
  readonly actions: readonly ResolutionAction[];
}

export interface ChecklistState {
  readonly steps: readonly StepState[];
  /** Every visible required step complete and no invalid answer anywhere visible. */
  readonly complete: boolean;
  /** Why the item cannot be resolved yet, one line per reason, in step order. */
  readonly blockers: readonly string[];
  /** Codes (with their actions) this module allows for this item and these answers. */
  readonly resolutions: readonly OfferedResolution[];
}

const isMoney = (v: AnswerValue): v is Money => typeof v === 'object' && !Array.isArray(v) && v !== null;

function isAnswered(field: SopField, value: AnswerValue | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function dateBound(bound: string, input: ChecklistInput): string {
  if (bound === 'today') return input.today;
  if (bound === 'periodStart') return input.exception.periodStart;
  if (bound === 'periodEnd') return input.exception.periodEnd;
  return bound;
}

function boundsProblem(value: Decimal, min: string | undefined, max: string | undefined): string | null {
  if (min !== undefined && value.lessThan(min)) return `must be at least ${min}`;
  if (max !== undefined && value.greaterThan(max)) return `must be at most ${max}`;
  return null;
}

const DECIMAL = /^-?\d{1,20}(\.\d{1,10})?$/;

/** A real day: Date.parse alone rolls 2025-02-30 over to 2 March instead of refusing it. */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** Why an answered value is not valid for its field, or null when it is. */
export function fieldValueProblem(field: SopField, value: AnswerValue, input: ChecklistInput): string | null {
  switch (field.type) {
    case 'text': {
      if (typeof value !== 'string') return 'expected text';
      const text = value.trim();
      if (field.minLength !== undefined && text.length < field.minLength) {
        return `needs at least ${field.minLength} characters`;
      }
      if (text.length > field.maxLength) return `is longer than ${field.maxLength} characters`;
      if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`).test(text)) {
        return field.patternHint ?? `does not match the expected format`;
      }
      return null;
    }
    case 'number': {
      if (typeof value !== 'string' || !DECIMAL.test(value.trim())) return 'expected a number such as 1250.5';
      const n = new Decimal(value.trim());
      if (field.integer && !n.isInteger()) return 'must be a whole number';
      return boundsProblem(n, field.min, field.max);
    }
    case 'money': {
      if (!isMoney(value)) return 'expected an amount with its currency';
      if (!DECIMAL.test(value.amount)) return 'expected an amount such as 125.40';
      const currency = field.currency === 'variance' ? input.exception.variance.currency : field.currency;
      if (value.currency !== currency) return `must be in ${currency}`;
      return boundsProblem(new Decimal(value.amount), field.min, field.max);
    }
    case 'date': {
      if (typeof value !== 'string' || !isCalendarDate(value)) return 'expected a date (YYYY-MM-DD)';
      if (field.min !== undefined && value < dateBound(field.min, input)) {
        return `must be on or after ${dateBound(field.min, input)}`;
      }
      if (field.max !== undefined && value > dateBound(field.max, input)) {
        return `must be on or before ${dateBound(field.max, input)}`;
      }
      return null;
    }
    case 'select':
      if (typeof value !== 'string' || !field.options.some((o) => o.value === value)) {
        return `choose one of ${field.options.map((o) => o.label).join(', ')}`;
      }
      return null;
    case 'multiselect': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        return 'expected a list of choices';
      const chosen = value as readonly string[];
      const unknown = chosen.find((v) => !field.options.some((o) => o.value === v));
      if (unknown !== undefined) return `"${unknown}" is not one of the choices`;
      if (field.minItems !== undefined && chosen.length < field.minItems) {
        return `choose at least ${field.minItems}`;
      }
      if (field.maxItems !== undefined && chosen.length > field.maxItems)
        return `choose at most ${field.maxItems}`;
      return null;
    }
    case 'file': {
      if (!Array.isArray(value)) return 'expected attached files';
      const files = value.filter((f): f is Exclude<typeof f, string> => typeof f === 'object');
      if (files.length !== value.length) return 'expected attached files';
      if (files.length > field.maxFiles) return `attach at most ${field.maxFiles}`;
      for (const f of files) {
        if (!field.accept.includes(f.type)) return `${f.name}: type ${f.type} is not accepted here`;
        if (f.size > field.maxBytes)
          return `${f.name} is larger than ${Math.round(field.maxBytes / 1024)} KB`;
      }
      return null;
    }
  }
}

/** What conditions read: the exception (with |variance| and |expected| precomputed), answers, today. */
export function conditionData(input: ChecklistInput, answers: Answers): ConditionData {
  const e = input.exception;
  return {
    exception: {
      ...e,
      varianceAbs: new Decimal(e.variance.amount).abs().toFixed(),
      expectedAbs: new Decimal(e.expected.amount).abs().toFixed(),
    },
    answers,
    today: input.today,
  };
}

const needsConfirmation = (step: SopStep): boolean => step.kind === 'check' || step.kind === 'action';

function stepState(step: SopStep, index: number, visible: boolean, input: ChecklistInput): StepState {
  if (!visible) return { id: step.id, index, visible, required: false, complete: false, problems: [] };
  const problems: FieldProblem[] = [];
  let missing = false;
  for (const field of step.fields) {
    const value = input.answers[field.id];
    if (!isAnswered(field, value)) {
      if (field.required) {
        missing = true;
        problems.push({
          field: field.id,
          kind: 'missing',
          detail: 'required',
          message: `${field.label}: required`,
        });
      }
      continue;
    }
    const problem = fieldValueProblem(field, value as AnswerValue, input);
    if (problem) {
      problems.push({
        field: field.id,
        kind: 'invalid',
        detail: problem,
        message: `${field.label}: ${problem}`,
      });
    }
  }
  if (needsConfirmation(step) && input.answers[step.id] !== true) {
    missing = true;
    problems.push({
      field: null,
      kind: 'missing',
      detail: 'not confirmed',
      message: `${step.confirm ?? 'Confirm this step'}: not confirmed`,
    });
  }
  const complete = !missing && problems.length === 0;
  return { id: step.id, index, visible, required: step.required, complete, problems };
}

/** Which steps show, which are done, and what the operator may resolve with. */
export function evaluateChecklist(input: ChecklistInput): ChecklistState {
  const { module } = input;
  // A step's condition reads only answers of earlier visible steps: an answer left behind on a
  // step that a later change hid must not steer what follows.
  const visibleAnswers: Record<string, AnswerValue> = {};
  // Built once: conditions see visibleAnswers as it grows, step by step.
  const data = conditionData(input, visibleAnswers);
  const steps: StepState[] = [];
  module.stepList.forEach((step, index) => {
    const visible = step.when === undefined || truthy(evaluateCondition(step.when, data));
    steps.push(stepState(step, index, visible, input));
    if (!visible) return;
    for (const id of [step.id, ...step.fields.map((f) => f.id)]) {
      const value = input.answers[id];
      if (value !== undefined) visibleAnswers[id] = value;
    }
  });

  const blockers: string[] = [];
  for (const s of steps) {
    if (!s.visible) continue;
    const step = module.stepList[s.index] as SopStep;
    const invalid = s.problems.filter((p) => p.kind === 'invalid');
    if ((s.required && !s.complete) || invalid.length > 0) {
      const what = (s.required ? s.problems : invalid).map((p) => p.message).join('; ');
      blockers.push(`Step ${s.index + 1} "${step.title}": ${what}`);
    }
  }

  const resolutions = module.resolutions
    .filter((r) => r.when === undefined || truthy(evaluateCondition(r.when, data)))
    .map((r) => ({ code: r.code, label: RESOLUTION_CODES[r.code], actions: r.actions }));

  return { steps, complete: blockers.length === 0, blockers, resolutions };
}

/** The parts of a resolution the SOP governs. */
export interface SopResolution {
  readonly code: ResolutionCode;
  readonly action: ResolutionAction;
  readonly amount: Money | null;
}

/**
 * Everything that keeps this resolution from being accepted under the module, in words for the
 * operator (and, from the server, for the client that pushed it). Empty when it may go ahead.
 */
export function resolutionProblems(input: ChecklistInput, resolution: SopResolution): string[] {
  const state = evaluateChecklist(input);
  const problems = [...state.blockers];
  const offered = state.resolutions.find((r) => r.code === resolution.code);
  if (!offered) {
    const codes = state.resolutions.map((r) => r.code).join(', ') || 'none';
    problems.push(
      `Resolution code ${resolution.code} is not allowed by SOP ${input.module.id} ${input.module.version} for this item and these answers (allowed: ${codes})`,
    );
  } else if (!offered.actions.includes(resolution.action)) {
    problems.push(
      `Action ${resolution.action} is not allowed with code ${resolution.code} (allowed: ${offered.actions.join(', ')})`,
    );
  }
  // A missing amount is the resolution schema's to name; a present one must fit the variance.
  if (resolution.amount) {
    const problem = amountProblem(resolution, input.exception.variance);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Whether a lead must approve this resolution before it takes effect (the module's thresholds). */
export function needsApproval(module: SopModule, resolution: SopResolution): boolean {
  const rule = module.approvals.find((a) => a.action === resolution.action);
  if (!rule) return false;
  if (!resolution.amount) return true;
  const threshold = rule.above[resolution.amount.currency];
  if (threshold === undefined) return true;
  return new Decimal(resolution.amount.amount).abs().greaterThan(threshold);
}

/** The newest module that applies to an exception type, by semantic version. */
export function moduleFor<M extends Pick<SopModule, 'appliesTo' | 'version'>>(
  modules: readonly M[],
  type: string,
): M | null {
  const key = (v: string): number[] => v.split('.').map(Number);
  let best: M | null = null;
  for (const m of modules) {
    if (!m.appliesTo.includes(type as M['appliesTo'][number])) continue;
    if (!best) {
      best = m;
      continue;
    }
    const [a, b] = [key(m.version), key(best.version)];
    const newer = a.findIndex((n, i) => n !== b[i]);
    if (newer >= 0 && (a[newer] as number) > (b[newer] as number)) best = m;
  }
  return best;
}
