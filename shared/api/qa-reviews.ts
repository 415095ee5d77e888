import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';
import { rubricOutcomeSchema } from '../qa/rubric';
import { moneySchema } from '../money';
import { answersSchema } from '../sop/module';
import { storableText } from '../text';
import { noteSchema } from './notes';
import { queryInt } from './query';

export const REVIEW_KINDS = ['live', 'calibration', 'known_answer'] as const;
/**
 * pending: waiting for a reviewer; awaiting_rework: a re-review waiting for the operator to
 * resolve the reworked item again; submitted: scored; disputed: the operator contests it;
 * locked: a lead decided the dispute, nothing changes any more.
 */
export const REVIEW_STATES = ['pending', 'awaiting_rework', 'submitted', 'disputed', 'locked'] as const;
export const reviewStateSchema = z.enum(REVIEW_STATES);

const scoreText = z.string().regex(/^\d{1,3}\.\d{2}$/);

export const reviewRubricResultSchema = z.object({
  id: z.string(),
  stepId: z.string(),
  text: z.string(),
  critical: z.boolean(),
  /** null until the review is submitted. */
  outcome: rubricOutcomeSchema.nullable(),
  comment: z.string().nullable(),
});

/** A review as lists show it. Percent scores are decimal text, two places. */
export const reviewSummarySchema = z.object({
  id: z.uuid(),
  kind: z.enum(REVIEW_KINDS),
  state: reviewStateSchema,
  exceptionId: z.string(),
  exceptionType: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  reviewerId: z.string().nullable(),
  sop: z.object({ moduleId: z.string(), version: z.string() }).nullable(),
  score: scoreText.nullable(),
  outcome: z.enum(['pass', 'fail']).nullable(),
  criticalFailed: z.boolean().nullable(),
  drawId: z.uuid().nullable(),
  roundId: z.uuid().nullable(),
  previousReviewId: z.uuid().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  submittedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ReviewSummary = z.infer<typeof reviewSummarySchema>;

export const DISPUTE_STATES = ['open', 'accepted', 'partly_accepted', 'rejected'] as const;

export const disputeSchema = z.object({
  id: z.uuid(),
  reviewId: z.uuid(),
  operatorId: z.string(),
  comment: z.string(),
  /** Rubric item ids the operator contests (items the reviewer failed). */
  contested: z.array(z.string()),
  state: z.enum(DISPUTE_STATES),
  openedAt: z.iso.datetime({ offset: true }),
  decidedBy: z.string().nullable(),
  decidedAt: z.iso.datetime({ offset: true }).nullable(),
  decisionComment: z.string().nullable(),
  /** Contested items the lead turned to pass. */
  overturned: z.array(z.string()).nullable(),
  scoreBefore: scoreText,
  scoreAfter: scoreText.nullable(),
});
export type Dispute = z.infer<typeof disputeSchema>;

/**
 * The resolution as recorded. Not `resolutionSchema`: rows recorded under older rules (a money
 * action without an amount, before the amount rules) must still be reviewable, not a 500.
 */
export const reviewedResolutionSchema = z.object({
  code: z.string(),
  action: z.string(),
  note: z.string(),
  amount: moneySchema.nullable(),
  followUpDate: z.iso.date().nullable(),
});

/** One review with what the reviewer needs beside it: the item, the operator's work, the rubric. */
export const reviewDetailSchema = reviewSummarySchema.extend({
  exception: exceptionRecordSchema,
  resolution: reviewedResolutionSchema.nullable(),
  resolvedAt: z.iso.datetime({ offset: true }).nullable(),
  answers: answersSchema,
  notes: z.array(noteSchema),
  rubric: z.array(reviewRubricResultSchema),
  feedback: z.string().nullable(),
  dispute: disputeSchema.nullable(),
});
export type ReviewDetail = z.infer<typeof reviewDetailSchema>;

export const reviewsQuerySchema = z
  .object({
    state: reviewStateSchema.default('pending'),
    limit: queryInt({ min: 1, max: 500, default: 200 }),
  })
  .strict();
export const reviewsResponseSchema = z.object({ reviews: z.array(reviewSummarySchema) });
export const myReviewsQuerySchema = z
  .object({ limit: queryInt({ min: 1, max: 500, default: 200 }) })
  .strict();

export const reviewIdParamsSchema = z.object({ id: z.uuid() }).strict();
export const reviewResponseSchema = z.object({ review: reviewDetailSchema });

/** POST /api/qa/reviews/:id/dispute (the operator whose work it is). */
export const openDisputeBodySchema = z
  .object({
    comment: storableText(4000, { trim: true, min: 3, minMessage: 'say why the finding is wrong' }),
    contested: z.array(z.string().min(1).max(200)).min(1).max(400),
  })
  .strict();
export type OpenDisputeBody = z.input<typeof openDisputeBodySchema>;

export const disputeIdParamsSchema = z.object({ id: z.uuid() }).strict();
export const disputesQuerySchema = z
  .object({
    state: z.enum(DISPUTE_STATES).default('open'),
    limit: queryInt({ min: 1, max: 500, default: 200 }),
  })
  .strict();
export const disputesResponseSchema = z.object({ disputes: z.array(disputeSchema) });
export const disputeResponseSchema = z.object({ dispute: disputeSchema, review: reviewSummarySchema });

/**
 * POST /api/qa/disputes/:id/decision (a lead who is neither the reviewer nor the operator).
 * accept: every contested item becomes pass; partly_accept: the listed ones (`overturned`, some
 * but not all of the contested); reject: the review stands. The score is locked afterwards.
 */
export const disputeDecisionBodySchema = z
  .object({
    decision: z.enum(['accept', 'partly_accept', 'reject']),
    comment: storableText(4000, { trim: true, min: 3, minMessage: 'say why (at least 3 characters)' }),
    overturned: z.array(z.string().min(1).max(200)).max(400).default([]),
  })
  .strict()
  .refine((d) => d.decision !== 'partly_accept' || d.overturned.length > 0, {
    path: ['overturned'],
    message: 'name the contested items you accept',
  })
  .refine((d) => d.decision === 'partly_accept' || d.overturned.length === 0, {
    path: ['overturned'],
    message: 'only a partial acceptance names items',
  });
export type DisputeDecisionBody = z.input<typeof disputeDecisionBodySchema>;
