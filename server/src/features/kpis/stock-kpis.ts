import { NOT_DONE_STATUSES, type KpiScope } from '@shared/kpis/filters';
import { AGING_BUCKETS, type KpiReport } from '@shared/kpis/report';
import type { Currency } from '@shared/money';
import { money } from '@shared/money';
import type { ExceptionStatus } from '@shared/exception-status';
import type { Queryable } from '../../db/types';
import { and, drillScope, Params, scopeConditions } from './scope';

type Stock = Pick<KpiReport, 'aging' | 'backlog' | 'amountsAtRisk'>;

const DAY_MS = 86_400_000;
/** Lower edge (days of age) of each bucket after the first, in AGING_BUCKETS order. */
const EDGES = [31, 61, 91, 121] as const;

/**
 * What is unfinished now (status open, assigned, in progress, pending partner or approval,
 * escalated or in rework), in one pass over the partial index of unfinished items. These read the
 * present, not the period: the scope's channel, partner, operator (the holder) and team apply.
 *
 * - Exception aging (DOMAIN.md): unfinished items by whole days since opened, in buckets
 *   <31, 31-60, 61-90, 91-120, >120.
 * - Backlog: unfinished items, by status.
 * - Amounts at risk: the sum of |variance| of unfinished items per variance currency, exact
 *   NUMERIC, never added across currencies.
 */
export async function stockKpis(db: Queryable, scope: KpiScope, now: Date): Promise<Stock> {
  const p = new Params();
  const nowParam = p.add(now.toISOString());
  const conds = [
    `e.status = ANY(${p.add(NOT_DONE_STATUSES)}::text[])`,
    ...scopeConditions(scope, p, 'e.assignee_id'),
  ];
  const bucketSql = `CASE ${EDGES.map(
    (d, i) => `WHEN e.opened_at > ${nowParam}::timestamptz - interval '${d} days' THEN ${i}`,
  ).join(' ')} ELSE ${EDGES.length} END`;
  const rows = await db.query<{
    set: number;
    bucket: number | null;
    status: ExceptionStatus | null;
    currency: Currency | null;
    n: number;
    amount: string | null;
  }>(
    `SELECT GROUPING(${bucketSql}, e.status, e.variance_currency)::int AS set,
            ${bucketSql} AS bucket, e.status, e.variance_currency AS currency, count(*)::int AS n,
            sum(abs(e.variance_amount))::text AS amount
     FROM exceptions e
     WHERE e.status NOT IN ('resolved', 'closed', 'auto_cleared') ${and(conds)}
     GROUP BY GROUPING SETS ((${bucketSql}), (e.status), (e.variance_currency))`,
    p.values,
  );
  const base = {
    statuses: [...NOT_DONE_STATUSES],
    ...drillScope(scope),
    ...(scope.operator ? { assignee: scope.operator } : {}),
  };
  const edge = (days: number): string => new Date(now.getTime() - days * DAY_MS).toISOString();
  const count = (bucket: number): number => rows.find((r) => r.set === 3 && r.bucket === bucket)?.n ?? 0;
  const byStatus = rows
    .filter((r) => r.set === 5 && r.status !== null)
    .map((r) => ({ status: r.status as ExceptionStatus, count: r.n }))
    .sort(
      (a, b) => NOT_DONE_STATUSES.indexOf(a.status as never) - NOT_DONE_STATUSES.indexOf(b.status as never),
    );
  return {
    aging: {
      asOf: now.toISOString(),
      buckets: AGING_BUCKETS.map((bucket, i) => {
        const lower = i === 0 ? null : EDGES[i - 1];
        const upper = EDGES[i];
        return {
          bucket,
          count: count(i),
          drill: {
            ...base,
            ...(upper === undefined ? {} : { openedAfter: edge(upper) }),
            ...(lower === null || lower === undefined ? {} : { openedAtOrBefore: edge(lower) }),
          },
        };
      }),
    },
    backlog: { total: byStatus.reduce((s, r) => s + r.count, 0), byStatus, drill: base },
    amountsAtRisk: rows
      .filter((r) => r.set === 6 && r.currency !== null)
      .map((r) => ({
        currency: r.currency as Currency,
        amount: money(r.amount ?? '0', r.currency as Currency).amount,
        items: r.n,
        drill: { ...base, currency: r.currency as Currency },
      }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
