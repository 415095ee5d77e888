import type { ExceptionFilter } from '@shared/kpis/filters';
import type { Params } from '../kpis/scope';

/**
 * The drill-down filter (shared/kpis/filters.ts) as SQL conditions on an exceptions alias `e`,
 * so an export holds exactly the items behind a figure. The resolution fields match items with
 * at least one resolution in the window (by that operator or team, with one of those actions).
 */
export function exceptionFilterConditions(f: ExceptionFilter, p: Params): string[] {
  const out: string[] = [];
  if (f.ids) out.push(`e.id = ANY(${p.add(f.ids)}::text[])`);
  if (f.statuses) out.push(`e.status = ANY(${p.add(f.statuses)}::text[])`);
  if (f.types) out.push(`e.type = ANY(${p.add(f.types)}::text[])`);
  if (f.channel) out.push(`e.channel = ${p.add(f.channel)}`);
  if (f.partner) out.push(`e.partner_account_id = ${p.add(f.partner)}`);
  if (f.currency) out.push(`e.variance_currency = ${p.add(f.currency)}`);
  if (f.openedAfter) out.push(`e.opened_at > ${p.add(f.openedAfter)}::timestamptz`);
  if (f.openedAtOrBefore) out.push(`e.opened_at <= ${p.add(f.openedAtOrBefore)}::timestamptz`);
  if (f.assignee) out.push(`e.assignee_id = ${p.add(f.assignee)}`);
  const r: string[] = [];
  if (f.resolvedFrom) r.push(`r.occurred_at >= ${p.add(f.resolvedFrom)}::timestamptz`);
  if (f.resolvedBefore) r.push(`r.occurred_at < ${p.add(f.resolvedBefore)}::timestamptz`);
  if (f.resolvedBy) r.push(`r.user_id = ${p.add(f.resolvedBy)}`);
  if (f.resolvedByTeam)
    r.push(`r.user_id IN (SELECT user_id FROM team_members WHERE team = ${p.add(f.resolvedByTeam)})`);
  if (f.resolutionActions) r.push(`r.action = ANY(${p.add(f.resolutionActions)}::text[])`);
  if (r.length > 0)
    out.push(
      `EXISTS (SELECT 1 FROM exception_resolutions r WHERE r.exception_id = e.id AND ${r.join(' AND ')})`,
    );
  return out;
}
