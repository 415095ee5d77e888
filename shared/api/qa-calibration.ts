import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';
import { reviewSummarySchema } from './qa-reviews';

const unique = (list: readonly string[]): boolean => new Set(list).size === list.length;

/** POST /api/qa/calibrations: several reviewers score the same resolved items, blind. */
export const createCalibrationBodySchema = z
  .object({
    exceptionIds: z.array(exceptionRecordSchema.shape.id).min(2).max(50).refine(unique, 'each item once'),
    reviewerIds: z.array(z.string().min(1).max(64)).min(2).max(10).refine(unique, 'each reviewer once'),
  })
  .strict();
export type CreateCalibrationBody = z.infer<typeof createCalibrationBodySchema>;

/**
 * Kappa per rubric item and overall (Cohen's for two reviewers, Fleiss' for more); null where
 * chance agreement is already total (every rating the same). Ratios, not money.
 */
export const agreementSchema = z.object({
  method: z.enum(['cohen', 'fleiss']),
  reviewers: z.array(z.string()),
  byRubricItem: z.record(z.string(), z.number().nullable()),
  overall: z.number().nullable(),
});

export const calibrationRoundSchema = z.object({
  id: z.uuid(),
  createdBy: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  reviewerIds: z.array(z.string()),
  exceptionIds: z.array(z.string()),
  submitted: z.number().int(),
  total: z.number().int(),
  complete: z.boolean(),
  /** Only once every review is in: until then nobody sees anybody's scores. */
  agreement: agreementSchema.nullable(),
  /** Every review once complete; before that only the caller's own. */
  reviews: z.array(reviewSummarySchema),
});
export type CalibrationRound = z.infer<typeof calibrationRoundSchema>;

export const calibrationIdParamsSchema = z.object({ id: z.uuid() }).strict();
export const calibrationResponseSchema = z.object({ round: calibrationRoundSchema });

const percent = z
  .string()
  .regex(/^\d{1,3}\.\d{2}$/)
  .nullable();

/** GET /api/qa/figures: live reviews scored from `from` to `to` (UTC days, both included). */
export const figuresQuerySchema = z
  .object({ from: z.iso.date(), to: z.iso.date() })
  .strict()
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    path: ['to'],
    message: 'at most 366 days after from',
  });

/**
 * One operator's figures for one SOP module (`sopModuleId` null: all their modules). Percentages
 * are decimal text, two places half-even, null when nothing was reviewed:
 * accuracy = passed / reviews; critical-error rate = reviews with a critical failure / reviews;
 * first-pass yield = items whose first review passed without rework / items first reviewed;
 * rework count = reviews that sent the item back. Calibration reviews are never counted.
 */
export const figuresRowSchema = z.object({
  operatorId: z.string(),
  operatorName: z.string(),
  sopModuleId: z.string().nullable(),
  reviews: z.number().int(),
  passed: z.number().int(),
  accuracyPercent: percent,
  criticalErrors: z.number().int(),
  criticalErrorRatePercent: percent,
  firstReviews: z.number().int(),
  firstPassed: z.number().int(),
  firstPassYieldPercent: percent,
  reworkCount: z.number().int(),
});
export type FiguresRow = z.infer<typeof figuresRowSchema>;
export const figuresResponseSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  rows: z.array(figuresRowSchema),
});
