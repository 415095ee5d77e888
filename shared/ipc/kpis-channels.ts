import { z } from 'zod';
import { closePeriodSchema, closeReadinessSchema, reopenBodySchema, signOffBodySchema } from '../close/close';
import { kpiDrillInputSchema, kpiDrillSchema } from '../kpis/drill';
import { kpiQuerySchema } from '../kpis/filters';
import { kpiReportSchema, myKpisSchema } from '../kpis/report';
import { noInput, type ChannelSpec } from './channel-spec';

const period = z.object({ period: closePeriodSchema }).strict();

/** The dashboard, an operator's own numbers and month-end close: figures live on the server only. */
export const kpisChannels = {
  /** Leads: every KPI for a period and scope, each with the drill-down filter behind it. */
  'kpis.report': { input: kpiQuerySchema, output: kpiReportSchema, access: 'online' },
  /** Leads: the exception ids behind one figure, for the queue's id filter. */
  'kpis.drill': { input: kpiDrillInputSchema, output: kpiDrillSchema, access: 'online' },
  /** Operators: their own day. */
  'kpis.me': { input: noInput, output: myKpisSchema, access: 'online' },
  'close.readiness': { input: period, output: closeReadinessSchema, access: 'online' },
  'close.signOff': {
    input: period.extend(signOffBodySchema.shape),
    output: closeReadinessSchema,
    access: 'online',
  },
  'close.reopen': {
    input: period.extend(reopenBodySchema.shape),
    output: closeReadinessSchema,
    access: 'online',
  },
} as const satisfies Record<string, ChannelSpec>;
