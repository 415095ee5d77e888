import type { KpiScope } from '@shared/kpis/filters';
import type { KpiReport } from '@shared/kpis/report';
import type { Queryable } from '../../db/types';
import { and, drillScope, drillWho, Params, rate, scopeConditions, windowOf } from './scope';

const seconds = (v: number | string | null): number | null => (v === null ? null : Math.round(Number(v)));

type Flow = Pick<KpiReport, 'cycleTime' | 'slaAttainment' | 'throughput'>;

/**
 * Cycle time, SLA attainment and throughput, from one pass over the items completed in the period
 * (view kpi_completions: a resolution that took effect at once, or on a lead's approval).
 *
 * - Cycle time (DOMAIN.md: opened -> resolved): completed_at - opened_at per completion; median
 *   and p90 interpolated (percentile_cont). An item completed twice (after rework) counts twice.
 * - SLA attainment: completions at or before the item's sla_due_at / all completions.
 * - Throughput per operator / team / UTC day: completions credited to the resolving operator.
 */
export async function flowKpis(db: Queryable, scope: KpiScope): Promise<Flow> {
  const { start, end } = windowOf(scope);
  const p = new Params();
  const conds = [
    `c.completed_at >= ${p.add(start)}::timestamptz`,
    `c.completed_at < ${p.add(end)}::timestamptz`,
    ...scopeConditions(scope, p, 'c.user_id'),
  ];
  // One scan of the period's completions (materialised), then the totals with their percentiles
  // and the per-operator / team / day counts from it; names are looked up for the few operators.
  const rows = await db.query<{
    set: number;
    user_id: string | null;
    team: string | null;
    day: string | null;
    n: number;
    within: number;
    median: number | null;
    p90: number | null;
  }>(
    `WITH c AS MATERIALIZED (
       SELECT c.user_id, (c.completed_at AT TIME ZONE 'UTC')::date AS day,
              extract(epoch FROM c.completed_at - e.opened_at) AS cycle, c.completed_at <= e.sla_due_at AS within
       FROM kpi_completions c JOIN exceptions e ON e.id = c.exception_id
       WHERE ${conds.join(' AND ')})
     SELECT 7 AS set, NULL AS user_id, NULL AS team, NULL::date AS day, count(*)::int AS n,
            count(*) FILTER (WHERE within)::int AS within,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY cycle) AS p90
     FROM c
     UNION ALL
     SELECT GROUPING(c.user_id, tm.team, c.day)::int, c.user_id, tm.team, c.day, count(*)::int, 0, NULL, NULL
     FROM c LEFT JOIN team_members tm ON tm.user_id = c.user_id
     GROUP BY GROUPING SETS ((c.user_id), (tm.team), (c.day))
     ORDER BY 1, 2, 3, 4`,
    p.values,
  );
  const operatorIds = rows.filter((r) => r.set === 3 && r.user_id !== null).map((r) => r.user_id as string);
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
  // GROUPING bits: user_id 4, team 2, day 1; a set's bit is 0 for the column it groups by.
  const total = rows.find((r) => r.set === 7);
  const n = total?.n ?? 0;
  return {
    cycleTime: {
      count: n,
      medianSeconds: seconds(total?.median ?? null),
      p90Seconds: seconds(total?.p90 ?? null),
      drill: { ...resolved, ...completedStatuses },
    },
    slaAttainment: { rate: rate(total?.within ?? 0, n), drill: { ...resolved, ...completedStatuses } },
    throughput: {
      perOperator: rows
        .filter((r) => r.set === 3 && r.user_id !== null)
        .map((r) => ({
          operatorId: r.user_id ?? '',
          name: names.get(r.user_id ?? '') ?? '',
          completed: r.n,
          drill: { ...resolved, resolvedBy: r.user_id ?? '' },
        })),
      perTeam: rows
        .filter((r) => r.set === 5 && r.team !== null)
        .map((r) => ({
          team: r.team ?? '',
          completed: r.n,
          drill: { ...resolved, resolvedByTeam: r.team ?? '' },
        })),
      perDay: rows
        .filter((r) => r.set === 6 && r.day !== null)
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
 * spent), median and p90, in seconds.
 */
export async function handleTime(
  db: Queryable,
  scope: KpiScope,
  window = windowOf(scope),
): Promise<KpiReport['handleTime']> {
  const p = new Params();
  const conds = [
    `r.occurred_at >= ${p.add(window.start)}::timestamptz`,
    `r.occurred_at < ${p.add(window.end)}::timestamptz`,
    'r.handle_ms IS NOT NULL',
    ...scopeConditions(scope, p, 'r.user_id'),
  ];
  const [row] = await db.query<{ n: number; median: number | null; p90: number | null }>(
    `SELECT count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY r.handle_ms / 1000.0) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY r.handle_ms / 1000.0) AS p90
     FROM exception_resolutions r ${scope.channel || scope.partner ? 'JOIN exceptions e ON e.id = r.exception_id' : ''}
     WHERE ${conds.join(' AND ')}`,
    p.values,
  );
  return {
    count: row?.n ?? 0,
    medianSeconds: seconds(row?.median ?? null),
    p90Seconds: seconds(row?.p90 ?? null),
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
 * action `escalate` or `partner_dispute`, by the item's partner account.
 */
export async function partnerEscalations(db: Queryable, scope: KpiScope): Promise<KpiReport['partners']> {
  const { start, end } = windowOf(scope);
  const p = new Params();
  const conds = scopeConditions(scope, p, 'r.user_id');
  const rows = await db.query<{ partner: string; escalations: number; disputes: number }>(
    `SELECT e.partner_account_id AS partner,
            count(*) FILTER (WHERE r.action = 'escalate')::int AS escalations,
            count(*) FILTER (WHERE r.action = 'partner_dispute')::int AS disputes
     FROM exception_resolutions r JOIN exceptions e ON e.id = r.exception_id
     WHERE r.occurred_at >= ${p.add(start)}::timestamptz AND r.occurred_at < ${p.add(end)}::timestamptz
       AND r.action IN ('escalate', 'partner_dispute') ${and(conds)}
     GROUP BY e.partner_account_id
     ORDER BY count(*) DESC, e.partner_account_id
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
