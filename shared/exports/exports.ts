import { z } from 'zod';
import { exceptionFilterSchema, filterKeySchema, kpiDateSchema } from '../kpis/filters';
import { channelSchema } from '../exception-types';

export const EXPORT_KINDS = ['exceptions', 'results', 'kpis', 'qa-draws', 'audit'] as const;
export const exportKindSchema = z.enum(EXPORT_KINDS);
export type ExportKind = z.infer<typeof exportKindSchema>;

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportParamsSchema = z.object({ kind: exportKindSchema }).strict();

/**
 * An exceptions filter as JSON text in one query parameter (the drill-down filter of a KPI, or
 * the queue's filters): JSON that does not parse is a 400 on `filter`, like a wrong field.
 */
export const filterParamSchema = z
  .string()
  .max(50_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
  })
  .pipe(exceptionFilterSchema);

/**
 * GET /api/exports/:kind and `npm run export`. `from`/`to` (UTC days, both included) bound the
 * period of each kind: exceptions opened, results recorded, KPIs, QA draws' lot days, audit rows.
 */
export const exportQuerySchema = z
  .object({
    format: z.enum(EXPORT_FORMATS).default('csv'),
    from: kpiDateSchema.optional(),
    to: kpiDateSchema.optional(),
    channel: channelSchema.optional(),
    partner: filterKeySchema.optional(),
    team: filterKeySchema.optional(),
    operator: filterKeySchema.optional(),
    filter: filterParamSchema.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be after to', path: ['from'] });
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** The most rows one export holds (an xlsx sheet holds 1,048,576 with its header). */
export const EXPORT_ROW_LIMIT = 500_000;
