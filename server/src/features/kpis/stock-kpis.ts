import { NOT_DONE_STATUSES, type KpiScope } from '@shared/kpis/filters';
import { AGING_BUCKETS, type KpiReport } from '@shared/kpis/report';
import type { Currency } from '@shared/money';
import { money } from '@shared/money';
import type { ExceptionStatus } from '@shared/exception-status';
import type { Queryable } from '../../db/types';
import { aggregateConditions, and, drillScope, Params, scopeConditions } from './scope';

type Stock = Pick<KpiReport, 'aging' | 'backlog' | 'amountsAtRisk'>;

const DAY_MS = 86_400_000;
/** Lower edge (days of age) of each bucket after the first, in AGING_BUCKETS order. */
const EDGES = [31, 61, 91, 121] as const;

/**
 * What is unfinished now (status open, assigned, in progress, pending partner or approval,
 * escalated or in rework), from the aggregate of unfinished items by day opened (kpi_stock, or
 * kpi_stock_rollup when neither partner nor holder narrows). These read the present, not the
 * period: the scope's channel, partner, operator (the holder) and team apply.
 *
 * - Exception aging (DOMAIN.md): unfinished items by whole days since opened, in buckets
 *   <31, 31-60, 61-90, 91-120, >120. A bucket edge falls inside one UTC day; that day's items
 *   are read from the exceptions themselves (four days at most), so the counts stay exact.
 * - Backlog: unfinished items, by status.
 * - Amounts at risk: the sum of |variance| of unfinished items per variance currency, exact
 *   NUMERIC, never added across currencies.
 */
export async function stockKpis(db: Queryable, scope: KpiScope, now: Date): Promise<Stock> {
  const edgeDays = EDGES.map((d) => new Date(now.getTime() - d * DAY_MS).toISOString().slice(0, 10));
  const narrow = scope.partner !== null || scope.operator !== null || scope.team !== null;
  const p = new Params();
  const statuses = p.add(NOT_DONE_STATUSES);
  const conds = [`s.status = ANY(${statuses}::text[])`, ...aggregateConditions(scope, p, 's', 'assignee')];
  const dayBucket = `CASE ${edgeDays
    .map((d, i) => {
      const day = p.add(d);
      return `WHEN s.day > ${day}::date THEN ${i} WHEN s.day = ${day}::date THEN -1`;
    })
    .join(' ')} ELSE ${EDGES.length} END`;
  const aggregate = db.query<{
    set: number;
    bucket: number | null;
    status: ExceptionStatus | null;
    currency: Currency | null;
    n: number;
    amount: string | null;
  }>(
    `SELECT GROUPING(${dayBucket}, s.status, s.currency)::int AS set,
            ${dayBucket} AS bucket, s.status, s.currency, sum(s.n)::int AS n, sum(s.amount)::text AS amount
     FROM ${narrow ? 'kpi_stock' : 'kpi_stock_rollup'} s
     WHERE ${conds.join(' AND ')}
     GROUP BY GROUPING SETS ((${dayBucket}), (s.status), (s.currency))
     HAVING sum(s.n) <> 0`,
    p.values,
  );
  // The days a bucket edge falls in, item by item (the edge is an instant: now - 31 days, ...).
  const q = new Params();
  const nowParam = q.add(now.toISOString());
  const edgeConds = [
    `e.status = ANY(${q.add(NOT_DONE_STATUSES)}::text[])`,
    ...scopeConditions(scope, q, 'e.assignee_id'),
  ];
  const bucketSql = `CASE ${EDGES.map(
    (d, i) => `WHEN e.opened_at > ${nowParam}::timestamptz - interval '${d} days' THEN ${i}`,
  ).join(' ')} ELSE ${EDGES.length} END`;
  // One range scan of the unfinished items' index per edge day.
  const edges = db.query<{ bucket: number; n: number }>(
    `SELECT ${bucketSql} AS bucket, count(*)::int AS n
     FROM unnest(${q.add(edgeDays.map((d) => `${d}T00:00:00Z`))}::timestamptz[]) AS d(start)
     JOIN exceptions e ON e.opened_at >= d.start AND e.opened_at < d.start + interval '1 day'
     WHERE e.status NOT IN ('resolved', 'closed', 'auto_cleared') ${and(edgeConds)}
     GROUP BY 1`,
    q.values,
  );
  const [rows, edgeRows] = await Promise.all([aggregate, edges]);
  const base = {
    statuses: [...NOT_DONE_STATUSES],
    ...drillScope(scope),
    ...(scope.operator ? { assignee: scope.operator } : {}),
  };
  const edge = (days: number): string => new Date(now.getTime() - days * DAY_MS).toISOString();
  const count = (bucket: number): number =>
    (rows.find((r) => r.set === 3 && r.bucket === bucket)?.n ?? 0) +
    (edgeRows.find((r) => r.bucket === bucket)?.n ?? 0);
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
