import type { KpiScope } from '@shared/kpis/filters';
import type { KpiReport } from '@shared/kpis/report';
import type { Queryable } from '../../db/types';
import { durationStats, type HistogramRow } from './percentiles';
import { aggregateConditions, and, daysOf, drillScope, drillWho, Params, rate, windowOf } from './scope';

type Flow = Pick<KpiReport, 'cycleTime' | 'slaAttainment' | 'throughput'>;

/**
 * Cycle time, SLA attainment and throughput, from the daily aggregate of the items completed in
 * the period (kpi_completions_daily, kept from view kpi_completions: a resolution that took
 * effect at once, or on a lead's approval).
 *
 * - Cycle time (DOMAIN.md: opened -> resolved): completed_at - opened_at per completion; median
 *   and p90 interpolated as percentile_cont does, from the cycle-time histogram (percentiles.ts
 *   states the error bound: exact when a bucket holds one value, else under 0.2%). An item
 *   completed twice (after rework) counts twice.
 * - SLA attainment: completions at or before the item's sla_due_at / all completions.
 * - Throughput per operator / team / UTC day: completions credited to the resolving operator.
 */
export async function flowKpis(db: Queryable, scope: KpiScope): Promise<Flow> {
  const { start, end } = windowOf(scope);
  const p = new Params();
  const conds = [
    `c.day >= ${p.add(scope.from)}::date`,
    `c.day <= ${p.add(scope.to)}::date`,
    ...aggregateConditions(scope, p, 'c', 'user_id'),
  ];
  // One pass over the period's aggregate rows: counts per operator / team / day and the
  // histogram per bucket (whose sums are the totals); teams are today's (users.team).
  const rows = await db.query<{
    set: number;
    user_id: string | null;
    team: string | null;
    day: string | null;
    bucket: number | null;
    n: number;
    within: number;
    min_ms: number | null;
    max_ms: number | null;
  }>(
    `SELECT GROUPING(c.user_id, tm.team, c.day, c.bucket)::int AS set, c.user_id, tm.team, c.day, c.bucket,
            sum(c.n)::int AS n, sum(c.within)::int AS within,
            min(c.min_ms)::float8 AS min_ms, max(c.max_ms)::float8 AS max_ms
     FROM kpi_completions_daily c LEFT JOIN team_members tm ON tm.user_id = c.user_id
     WHERE ${conds.join(' AND ')}
     GROUP BY GROUPING SETS ((c.user_id), (tm.team), (c.day), (c.bucket))
     HAVING sum(c.n) <> 0
     ORDER BY 1, 2, 3, 4, 5`,
    p.values,
  );
  // GROUPING bits: user_id 8, team 4, day 2, bucket 1; a set's bit is 0 for the column it groups by.
  const histogram: HistogramRow[] = rows
    .filter((r) => r.set === 14)
    .map((r) => ({ bucket: r.bucket ?? 0, n: r.n, min_ms: r.min_ms, max_ms: r.max_ms }));
  const stats = durationStats(histogram);
  const within = rows.filter((r) => r.set === 14).reduce((s, r) => s + r.within, 0);
  const operatorIds = rows.filter((r) => r.set === 7 && r.user_id !== null).map((r) => r.user_id as string);
  const names = new Map(
    (
      await db.query<{ id: string; display_name: string }>(
        'SELECT id, display_name FROM users WHERE id = ANY($1::text[])',
        [operatorIds],
      )
    ).map((u) => [u.id, u.display_name]),
  );
  const resolved = { resolvedFrom: start, resolvedBefore: end, ...drillScope(scope), ...drillWho(scope) };
  const completedStatuses = { statuses: ['resolved' as const, 'closed' as const, 'rework' as const] };
  return {
    cycleTime: { ...stats, drill: { ...resolved, ...completedStatuses } },
    slaAttainment: { rate: rate(within, stats.count), drill: { ...resolved, ...completedStatuses } },
    throughput: {
      perOperator: rows
        .filter((r) => r.set === 7 && r.user_id !== null)
        .map((r) => ({
          operatorId: r.user_id ?? '',
          name: names.get(r.user_id ?? '') ?? '',
          completed: r.n,
          drill: { ...resolved, resolvedBy: r.user_id ?? '' },
        })),
      perTeam: rows
        .filter((r) => r.set === 11 && r.team !== null)
        .map((r) => ({
          team: r.team ?? '',
          completed: r.n,
          drill: { ...resolved, resolvedByTeam: r.team ?? '' },
        })),
      perDay: rows
        .filter((r) => r.set === 13 && r.day !== null)
        .map((r) => {
          const dayEnd = new Date(Date.parse(`${r.day ?? ''}T00:00:00Z`) + 86_400_000).toISOString();
          return {
            day: r.day ?? '',
            completed: r.n,
            drill: { ...resolved, resolvedFrom: `${r.day ?? ''}T00:00:00.000Z`, resolvedBefore: dayEnd },
          };
        }),
    },
  };
}

/**
 * Handle time (DOMAIN.md: operator active time): the active milliseconds the desk measured for
 * each resolution recorded in the period (every action, escalations included: the time was
 * spent), median and p90, in seconds, from the handle-time histogram of kpi_resolutions_daily
 * (error bound in percentiles.ts). The window is whole UTC days.
 */
export async function handleTime(
  db: Queryable,
  scope: KpiScope,
  window = windowOf(scope),
): Promise<KpiReport['handleTime']> {
  const { first, end } = daysOf(window);
  const p = new Params();
  const conds = [
    `r.day >= ${p.add(first)}::date`,
    `r.day < ${p.add(end)}::date`,
    'r.bucket >= 0',
    ...aggregateConditions(scope, p, 'r', 'user_id'),
  ];
  const rows = await db.query<HistogramRow>(
    `SELECT r.bucket, sum(r.n)::int AS n, min(r.min_ms)::float8 AS min_ms, max(r.max_ms)::float8 AS max_ms
     FROM kpi_resolutions_daily r
     WHERE ${conds.join(' AND ')}
     GROUP BY r.bucket HAVING sum(r.n) <> 0`,
    p.values,
  );
  return {
    ...durationStats(rows),
    drill: {
      resolvedFrom: window.start,
      resolvedBefore: window.end,
      ...drillScope(scope),
      ...drillWho(scope),
    },
  };
}

/**
 * Escalations and disputes per partner account: resolutions recorded in the period with the
 * action `escalate` or `partner_dispute`, by the item's partner account (kpi_resolutions_daily).
 */
export async function partnerEscalations(db: Queryable, scope: KpiScope): Promise<KpiReport['partners']> {
  const { start, end } = windowOf(scope);
  const p = new Params();
  const conds = aggregateConditions(scope, p, 'r', 'user_id');
  const rows = await db.query<{ partner: string; escalations: number; disputes: number }>(
    `SELECT r.partner,
            coalesce(sum(r.n) FILTER (WHERE r.action = 'escalate'), 0)::int AS escalations,
            coalesce(sum(r.n) FILTER (WHERE r.action = 'partner_dispute'), 0)::int AS disputes
     FROM kpi_resolutions_daily r
     WHERE r.day >= ${p.add(scope.from)}::date AND r.day <= ${p.add(scope.to)}::date
       AND r.action IN ('escalate', 'partner_dispute') ${and(conds)}
     GROUP BY r.partner
     HAVING sum(r.n) <> 0
     ORDER BY sum(r.n) DESC, r.partner
     LIMIT 200`,
    p.values,
  );
  const base = { resolvedFrom: start, resolvedBefore: end, ...drillScope(scope), ...drillWho(scope) };
  return rows.map((r) => ({
    partner: r.partner,
    escalations: r.escalations,
    disputes: r.disputes,
    escalationsDrill: { ...base, partner: r.partner, resolutionActions: ['escalate'] },
    disputesDrill: { ...base, partner: r.partner, resolutionActions: ['partner_dispute'] },
  }));
}
