import Decimal from 'decimal.js';
import { z } from 'zod';
import { evaluateChecklist, type ChecklistInput } from '../sop/engine';
import type { SopModule } from '../sop/module';
import { storableText } from '../text';
import { RUBRIC_OUTCOMES } from './agreement';

/**
 * The rubric a review scores, derived from the SOP version the operator followed:
 * - every rubric item ("QA check") of every step that was visible for the operator's answers, in
 *   step order; a step its `when` hid is not scored (the operator never saw it);
 * - an item's id is `<step id>:<rubric item id>`, unique within a module version;
 * - an item is critical exactly when the SOP marks it critical;
 * - a resolution recorded without an SOP module (before modules existed) gets one critical item,
 *   `resolution:correct`, so it can still be reviewed.
 */
export interface ReviewRubricItem {
  id: string;
  stepId: string;
  text: string;
  critical: boolean;
}

export const FALLBACK_RUBRIC: readonly ReviewRubricItem[] = [
  {
    id: 'resolution:correct',
    stepId: 'resolution',
    text: 'The resolution, its amount and its note are right for this exception',
    critical: true,
  },
];

export function reviewRubric(input: ChecklistInput | null): ReviewRubricItem[] {
  if (input === null) return [...FALLBACK_RUBRIC];
  const state = evaluateChecklist(input);
  const visible = new Set(state.steps.filter((s) => s.visible).map((s) => s.id));
  const items = rubricOfModule(input.module).filter((item) => visible.has(item.stepId));
  return items.length > 0 ? items : [...FALLBACK_RUBRIC];
}

function rubricOfModule(module: SopModule): ReviewRubricItem[] {
  return module.stepList.flatMap((step) =>
    step.rubric.map((r) => ({
      id: `${step.id}:${r.id}`,
      stepId: step.id,
      text: r.text,
      critical: r.critical,
    })),
  );
}

/**
 * A review passes at this score or above, unless a critical item failed (then it fails whatever
 * the score). Percent of the scored (pass or fail) items that passed.
 */
export const QA_PASS_MARK_PERCENT = '90';

export const rubricOutcomeSchema = z.enum(RUBRIC_OUTCOMES);

export const rubricAnswerSchema = z
  .object({
    id: z.string().min(1).max(200),
    outcome: rubricOutcomeSchema,
    comment: storableText(2000, { trim: true }).default(''),
  })
  .strict()
  .refine((a) => a.outcome !== 'fail' || a.comment.length >= 3, {
    path: ['comment'],
    message: 'say what was wrong (at least 3 characters) for a failed item',
  });
export type RubricAnswer = z.infer<typeof rubricAnswerSchema>;

/** POST /api/qa/reviews/:id/submit */
export const submitReviewBodySchema = z
  .object({
    items: z.array(rubricAnswerSchema).min(1).max(400),
    /** What the operator reads with the rework; required when the review fails. */
    feedback: storableText(4000, { trim: true }).default(''),
  })
  .strict();
export type SubmitReviewBody = z.input<typeof submitReviewBodySchema>;

export interface ScoredRubricItem extends ReviewRubricItem {
  outcome: RubricAnswer['outcome'];
  comment: string;
}

export interface ReviewScore {
  /** Percent of scored items passed, two decimals (half-even); "100.00" when every item is N/A. */
  score: string;
  criticalFailed: boolean;
  outcome: 'pass' | 'fail';
}

export class RubricMismatchError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'RubricMismatchError';
  }
}

/** Pairs every rubric item with exactly one answer; an unknown, missing or repeated one is refused. */
export function scoreAnswers(
  rubric: readonly ReviewRubricItem[],
  answers: readonly RubricAnswer[],
): ScoredRubricItem[] {
  const byId = new Map<string, RubricAnswer>();
  answers.forEach((a, i) => {
    if (!rubric.some((r) => r.id === a.id))
      throw new RubricMismatchError(`body.items.${i}.id`, 'not a rubric item of this review');
    if (byId.has(a.id))
      throw new RubricMismatchError(`body.items.${i}.id`, 'this rubric item is answered twice');
    byId.set(a.id, a);
  });
  return rubric.map((item) => {
    const answer = byId.get(item.id);
    if (!answer) throw new RubricMismatchError('body.items', `rubric item ${item.id} is not answered`);
    return { ...item, outcome: answer.outcome, comment: answer.comment };
  });
}

export function scoreOf(items: readonly Pick<ScoredRubricItem, 'outcome' | 'critical'>[]): ReviewScore {
  const passed = items.filter((i) => i.outcome === 'pass').length;
  const scored = passed + items.filter((i) => i.outcome === 'fail').length;
  const score = scored === 0 ? new Decimal(100) : new Decimal(passed).times(100).dividedBy(scored);
  const criticalFailed = items.some((i) => i.critical && i.outcome === 'fail');
  const outcome = !criticalFailed && score.greaterThanOrEqualTo(QA_PASS_MARK_PERCENT) ? 'pass' : 'fail';
  return { score: score.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2), criticalFailed, outcome };
}

/** The text the operator gets back with a failed item: the feedback, then each failed item. */
export function reworkReason(feedback: string, items: readonly ScoredRubricItem[]): string {
  const failed = items.filter((i) => i.outcome === 'fail').map((i) => `- ${i.text}: ${i.comment}`);
  return [feedback, ...failed].filter((l) => l.length > 0).join('\n');
}
