import { z } from 'zod';
import { exceptionStatusSchema } from '../exception-status';
import { currencySchema, decimalStringSchema } from '../money';
import { exceptionFilterSchema, kpiScopeSchema } from './filters';

/**
 * A ratio as counted: the percentage is computed by the server from the two counts (2 decimals,
 * half-up, as text so it never rounds again), null when nothing was counted.
 */
export const rateSchema = z.object({
  numerator: z.number().int().min(0),
  denominator: z.number().int().min(0),
  percent: z.string().nullable(),
});
export type Rate = z.infer<typeof rateSchema>;

/** Durations in whole seconds; percentiles interpolate between neighbours (percentile_cont). */
export const durationStatsSchema = z.object({
  count: z.number().int().min(0),
  medianSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
});

const drill = { drill: exceptionFilterSchema };

export const AGING_BUCKETS = ['0-30', '31-60', '61-90', '91-120', '121+'] as const;

export const kpiReportSchema = z.object({
  scope: kpiScopeSchema,
  billingAccuracy: z.object({
    invoices: rateSchema,
    creditMemos: rateSchema,
    rebills: rateSchema,
    ...drill,
  }),
  automation: z.object({
    unit: z.literal('lines'),
    total: rateSchema,
    bySource: z.array(z.object({ source: z.string(), rate: rateSchema, ...drill })),
    /**
     * The rate over the staged lines reconciliation runs compared (each period's latest run),
     * per source format: matched within tolerance / all compared lines. Channel narrows;
     * partner, team and operator do not. Optional only so clients built before it still parse;
     * the server always sends it.
     */
    reconciledLines: z
      .object({
        total: rateSchema,
        bySource: z.array(z.object({ source: z.string(), rate: rateSchema })),
      })
      .optional(),
  }),
  firstPassYield: z.object({ rate: rateSchema, ...drill }),
  qa: z.object({ accuracy: rateSchema, criticalErrors: rateSchema }),
  aging: z.object({
    asOf: z.iso.datetime(),
    buckets: z.array(z.object({ bucket: z.enum(AGING_BUCKETS), count: z.number().int(), ...drill })),
  }),
  cycleTime: durationStatsSchema.extend(drill),
  handleTime: durationStatsSchema.extend(drill),
  slaAttainment: z.object({ rate: rateSchema, ...drill }),
  throughput: z.object({
    perOperator: z.array(
      z.object({ operatorId: z.string(), name: z.string(), completed: z.number().int(), ...drill }),
    ),
    perTeam: z.array(z.object({ team: z.string(), completed: z.number().int(), ...drill })),
    perDay: z.array(z.object({ day: z.iso.date(), completed: z.number().int(), ...drill })),
  }),
  backlog: z.object({
    total: z.number().int(),
    byStatus: z.array(z.object({ status: exceptionStatusSchema, count: z.number().int() })),
    ...drill,
  }),
  partners: z.array(
    z.object({
      partner: z.string(),
      escalations: z.number().int(),
      disputes: z.number().int(),
      escalationsDrill: exceptionFilterSchema,
      disputesDrill: exceptionFilterSchema,
    }),
  ),
  amountsAtRisk: z.array(
    z.object({ currency: currencySchema, amount: decimalStringSchema, items: z.number().int(), ...drill }),
  ),
});
export type KpiReport = z.infer<typeof kpiReportSchema>;

/** GET /api/kpis/me: an operator's own day (UTC). */
export const myKpisSchema = z.object({
  day: z.iso.date(),
  completed: z.number().int(),
  handleTime: durationStatsSchema,
  /** QA results of their reviewed work (zero counts until QA reviews are recorded). */
  qa: z.object({ accuracy: rateSchema, criticalErrors: rateSchema }),
  /** Null until certifications are recorded on the server. */
  certification: z.null(),
});
export type MyKpis = z.infer<typeof myKpisSchema>;
