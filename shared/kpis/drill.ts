import { z } from 'zod';
import { filterParamSchema } from '../exports/exports';
import { exceptionFilterSchema } from './filters';

/** The queue's id filter takes this many ids: a drill-down lists at most these, in id order. */
export const DRILL_ID_LIMIT = 1000;

/** GET /api/kpis/drill: the drill-down filter of a figure, as JSON text (like the exports' `filter`). */
export const kpiDrillQuerySchema = z.object({ filter: filterParamSchema }).strict();

/** The exceptions behind a figure: the first ids (id order) and how many there are in all. */
export const kpiDrillSchema = z.object({
  ids: z.array(z.string()).max(DRILL_ID_LIMIT),
  total: z.number().int().min(0),
});
export type KpiDrill = z.infer<typeof kpiDrillSchema>;

/** The bridge's input: the filter as an object (the desk writes the JSON text). */
export const kpiDrillInputSchema = z.object({ filter: exceptionFilterSchema }).strict();
