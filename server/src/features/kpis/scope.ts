import type { KpiQuery, KpiScope } from '@shared/kpis/filters';

/** Positional parameters for one statement: `add` returns the `$n` placeholder. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const DAY_MS = 86_400_000;

/** The period and filters after defaults: the last 30 UTC days up to today. */
export function resolveScope(query: KpiQuery, now: Date): KpiScope {
  const today = now.toISOString().slice(0, 10);
  const to = query.to ?? today;
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  return {
    from,
    to,
    channel: query.channel ?? null,
    partner: query.partner ?? null,
    team: query.team ?? null,
    operator: query.operator ?? null,
  };
}

/** The period as a half-open window of instants: [from 00:00Z, the day after to 00:00Z). */
export function windowOf(scope: KpiScope): { start: string; end: string } {
  const end = new Date(Date.parse(`${scope.to}T00:00:00Z`) + DAY_MS).toISOString();
  return { start: `${scope.from}T00:00:00.000Z`, end };
}

/**
 * The scope's filters on a KPI aggregate table (migration 0017) aliased `alias`: its channel and
 * partner columns, and who did the work (`who`, a column of the table).
 */
export function aggregateConditions(scope: KpiScope, p: Params, alias: string, who: string | null): string[] {
  return scopeConditions(scope, p, who === null ? null : `${alias}.${who}`, {
    itemAlias: alias,
    partnerColumn: 'partner',
  });
}

/** The UTC days of a window of whole days, as `day >= first AND day < end` bounds. */
export function daysOf(window: { start: string; end: string }): { first: string; end: string } {
  return { first: window.start.slice(0, 10), end: window.end.slice(0, 10) };
}

/**
 * SQL conditions for the scope's item filters on an exceptions alias `e`, and for who did the
 * work on a user-id column (`who`): the operator, or any member of the team.
 */
export function scopeConditions(
  scope: KpiScope,
  p: Params,
  who: string | null,
  opts: { itemAlias?: string; partnerColumn?: string } = {},
): string[] {
  const e = opts.itemAlias ?? 'e';
  const out: string[] = [];
  if (scope.channel) out.push(`${e}.channel = ${p.add(scope.channel)}`);
  if (scope.partner) out.push(`${e}.${opts.partnerColumn ?? 'partner_account_id'} = ${p.add(scope.partner)}`);
  if (who && scope.operator) out.push(`${who} = ${p.add(scope.operator)}`);
  if (who && scope.team)
    out.push(`${who} IN (SELECT tm.user_id FROM team_members tm WHERE tm.team = ${p.add(scope.team)})`);
  return out;
}

export const where = (conds: readonly string[]): string =>
  conds.length === 0 ? '' : `WHERE ${conds.join(' AND ')}`;
export const and = (conds: readonly string[]): string =>
  conds.length === 0 ? '' : `AND ${conds.join(' AND ')}`;

/** The item filters of the scope, as the drill-down filter carries them. */
export function drillScope(scope: KpiScope): { channel?: KpiScope['channel'] & string; partner?: string } {
  return {
    ...(scope.channel ? { channel: scope.channel } : {}),
    ...(scope.partner ? { partner: scope.partner } : {}),
  };
}

/** Who did the work, as the drill-down filter carries it. */
export function drillWho(scope: KpiScope): { resolvedBy?: string; resolvedByTeam?: string } {
  return {
    ...(scope.operator ? { resolvedBy: scope.operator } : {}),
    ...(scope.team ? { resolvedByTeam: scope.team } : {}),
  };
}

/** A rate from two counts; the percentage as text with 2 decimals, half-up (exact integer maths). */
export function rate(
  numerator: number,
  denominator: number,
): { numerator: number; denominator: number; percent: string | null } {
  if (denominator === 0) return { numerator, denominator, percent: null };
  // basis points of a percent, rounded half-up: (n * 10000 * 2 + d) / (2d)
  const hundredths = (BigInt(numerator) * 20000n + BigInt(denominator)) / (2n * BigInt(denominator));
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return { numerator, denominator, percent: `${whole}.${frac}` };
}
