import { z } from 'zod';
import { exceptionTypeSchema } from '../exception-types';
import { currencySchema, decimalStringSchema } from '../money';
import { storableText } from '../text';

/** A close period is a calendar month, `YYYY-MM`, 1970-2999. */
export const closePeriodSchema = z
  .string()
  .regex(/^(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])$/, 'must be a month such as "2026-11" (1970-2999)');

export const closePeriodParamsSchema = z.object({ period: closePeriodSchema }).strict();

export const CLOSE_STATES = ['open', 'prepared', 'locked'] as const;

/** Something that keeps the period from being signed off, named so a person can act on it. */
export const blockingItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('feed_missing'), format: z.string(), label: z.string() }),
  z.object({ kind: z.literal('unmapped'), exceptionId: z.string(), type: exceptionTypeSchema }),
  z.object({
    kind: z.literal('material_unfinished'),
    exceptionId: z.string(),
    variance: z.object({ amount: decimalStringSchema, currency: currencySchema }),
  }),
]);
export type BlockingItem = z.infer<typeof blockingItemSchema>;

export const closeReadinessSchema = z.object({
  period: closePeriodSchema,
  state: z.enum(CLOSE_STATES),
  preparer: z.object({ id: z.string(), at: z.iso.datetime() }).nullable(),
  reviewer: z.object({ id: z.string(), at: z.iso.datetime() }).nullable(),
  ready: z.boolean(),
  /** The first 200 blocking items; `blockingTotal` counts them all. */
  blocking: z.array(blockingItemSchema),
  blockingTotal: z.number().int().min(0),
});
export type CloseReadiness = z.infer<typeof closeReadinessSchema>;

export const signOffBodySchema = z.object({ as: z.enum(['preparer', 'reviewer']) }).strict();

export const reopenBodySchema = z
  .object({
    reason: storableText(2000, { trim: true, min: 3, minMessage: 'say why the period is reopened' }),
  })
  .strict();

export const explanationBodySchema = z
  .object({
    exceptionId: z.string().regex(/^EX-[0-9A-Z]{4,}$/, 'expected an exception id such as "EX-000123"'),
    text: storableText(4000, { trim: true, min: 3, minMessage: 'say why the item may stay open' }),
  })
  .strict();

/** PUT /api/close/settings: the feeds every period expects and the materiality per currency. */
export const closeSettingsSchema = z
  .object({
    expectedFeeds: z
      .array(
        z
          .object({
            format: z.string().regex(/^[a-z0-9-]{1,64}$/),
            label: storableText(200, { trim: true, min: 1 }),
            activeFrom: z.iso.date().optional(),
            activeTo: z.iso.date().nullable().optional(),
          })
          .strict(),
      )
      .max(200)
      .refine((l) => new Set(l.map((f) => f.format)).size === l.length, 'each format at most once'),
    materiality: z
      .array(
        z
          .object({
            currency: currencySchema,
            threshold: decimalStringSchema.refine((s) => !s.startsWith('-'), 'must not be negative'),
          })
          .strict(),
      )
      .max(50)
      .refine((l) => new Set(l.map((m) => m.currency)).size === l.length, 'each currency at most once'),
  })
  .strict();
export type CloseSettings = z.infer<typeof closeSettingsSchema>;
