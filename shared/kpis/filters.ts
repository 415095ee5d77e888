import { z } from 'zod';
import { exceptionStatusSchema } from '../exception-status';
import { channelSchema, exceptionTypeSchema } from '../exception-types';
import { currencySchema } from '../money';
import { resolutionActionSchema } from '../resolution';
import { storableText } from '../text';

/**
 * A calendar day as a query writes it. Years outside 1970-2999 are refused: year 0 and 9999 are
 * typing mistakes or probes, and PostgreSQL would accept them and scan for nothing.
 */
export const kpiDateSchema = z.iso
  .date()
  .refine((d) => d >= '1970-01-01' && d <= '2999-12-31', 'must be a day between 1970-01-01 and 2999-12-31');

/** An id or name in a filter: short, storable, no control characters. */
const hasControl = (s: string): boolean =>
  [...s].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });

export const filterKeySchema = storableText(64, { min: 1 }).refine(
  (s) => !hasControl(s),
  'must not contain control characters',
);

/** Exception statuses that still need work: backlog, aging and amounts at risk read these. */
export const NOT_DONE_STATUSES = [
  'open',
  'assigned',
  'in_progress',
  'pending_partner',
  'pending_approval',
  'escalated',
  'rework',
] as const;

/**
 * The exceptions behind a figure, as a filter the queue (and the exceptions export) applies.
 * Every field narrows; absent fields do not. Times are ISO instants; `resolvedFrom` is inclusive, `resolvedBefore` exclusive.
 */
export const exceptionFilterSchema = z
  .object({
    ids: z
      .array(z.string().regex(/^EX-[0-9A-Z]{4,}$/))
      .max(1000)
      .optional(),
    statuses: z.array(exceptionStatusSchema).max(20).optional(),
    types: z.array(exceptionTypeSchema).max(20).optional(),
    channel: channelSchema.optional(),
    partner: filterKeySchema.optional(),
    currency: currencySchema.optional(),
    /** Opened strictly after / at or before: age buckets have whole-day edges this way. */
    openedAfter: z.iso.datetime().optional(),
    openedAtOrBefore: z.iso.datetime().optional(),
    /** Items with a resolution recorded in this window (by `resolvedBy`, with one of these actions). */
    resolvedFrom: z.iso.datetime().optional(),
    resolvedBefore: z.iso.datetime().optional(),
    resolvedBy: filterKeySchema.optional(),
    resolvedByTeam: filterKeySchema.optional(),
    resolutionActions: z.array(resolutionActionSchema).max(10).optional(),
    /** Items currently held by this operator. */
    assignee: filterKeySchema.optional(),
  })
  .strict();
export type ExceptionFilter = z.infer<typeof exceptionFilterSchema>;

const scopeFields = {
  channel: channelSchema.optional(),
  partner: filterKeySchema.optional(),
  team: filterKeySchema.optional(),
  operator: filterKeySchema.optional(),
};

/** GET /api/kpis: a period of whole UTC days (both ends included) and the scope filters. */
export const kpiQuerySchema = z
  .object({ from: kpiDateSchema.optional(), to: kpiDateSchema.optional(), ...scopeFields })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after to', path: ['from'] });
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

/** The period and scope a KPI answer was computed for, after defaults. */
export const kpiScopeSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  channel: channelSchema.nullable(),
  partner: z.string().nullable(),
  team: z.string().nullable(),
  operator: z.string().nullable(),
});
export type KpiScope = z.infer<typeof kpiScopeSchema>;
