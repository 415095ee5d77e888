import type { KpiQuery } from '@shared/kpis/filters';
import type { KpiReport, MyKpis } from '@shared/kpis/report';
import type { Queryable } from '../../db/types';
import { flowKpis, handleTime, partnerEscalations } from './flow-kpis';
import { automation, billingAccuracy, firstPassYield, qaOutcomes } from './quality-kpis';
import { resolveScope } from './scope';
import { stockKpis } from './stock-kpis';

/** Every dashboard figure for one period and scope (each query documents its KPI). */
export async function kpiReport(db: Queryable, query: KpiQuery, now = new Date()): Promise<KpiReport> {
  const scope = resolveScope(query, now);
  // In parallel: on PostgreSQL each query takes its own pooled connection; PGlite queues them.
  const [flow, stock, billing, auto, fpy, qa, handle, partners] = await Promise.all([
    flowKpis(db, scope),
    stockKpis(db, scope, now),
    billingAccuracy(db, scope),
    automation(db, scope),
    firstPassYield(db, scope),
    qaOutcomes(db, scope),
    handleTime(db, scope),
    partnerEscalations(db, scope),
  ]);
  return {
    scope,
    billingAccuracy: billing,
    automation: auto,
    firstPassYield: fpy,
    qa,
    aging: stock.aging,
    cycleTime: flow.cycleTime,
    handleTime: handle,
    slaAttainment: flow.slaAttainment,
    throughput: flow.throughput,
    backlog: stock.backlog,
    partners,
    amountsAtRisk: stock.amountsAtRisk,
  };
}

/**
 * An operator's own day (UTC): items they completed today, the handle time of today's
 * resolutions, and QA results of the last 30 days. Certification is not on the server yet.
 */
export async function myKpis(db: Queryable, userId: string, now = new Date()): Promise<MyKpis> {
  const day = now.toISOString().slice(0, 10);
  const scope = resolveScope({ from: day, to: day, operator: userId }, now);
  const flow = await flowKpis(db, scope);
  const handle = await handleTime(db, scope);
  const qa = await qaOutcomes(db, resolveScope({ to: day, operator: userId }, now));
  return {
    day,
    completed: flow.throughput.perOperator.find((o) => o.operatorId === userId)?.completed ?? 0,
    handleTime: { count: handle.count, medianSeconds: handle.medianSeconds, p90Seconds: handle.p90Seconds },
    qa,
    certification: null,
  };
}
