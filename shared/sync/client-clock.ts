/**
 * How far a mutation's `occurredAt` (the desk's clock) may sit from the server's clock when the
 * server receives it. Outside this window the server answers the mutation `rejected`: the time
 * would otherwise feed the audit trail as fact. Controls (approval order, SOP date rules, audit
 * order) use the server's receive time whatever the desk says.
 */

/** Clocks drift, and a desk's clock is not NTP-disciplined; a few minutes ahead is normal. */
export const OCCURRED_AT_MAX_AHEAD_MS = 10 * 60_000;
/** A desk may work offline for days (a long weekend, a site outage); a month is far past that. */
export const OCCURRED_AT_MAX_AGE_MS = 30 * 24 * 3_600_000;

/** Why `occurredAt` is outside the accepted window at `serverNow`, or null when it is inside. */
export function occurredAtProblem(occurredAt: string, serverNow: Date): string | null {
  const at = Date.parse(occurredAt);
  if (!Number.isFinite(at)) return 'occurredAt is not a time';
  if (at > serverNow.getTime() + OCCURRED_AT_MAX_AHEAD_MS) {
    return `occurredAt is more than ${OCCURRED_AT_MAX_AHEAD_MS / 60_000} minutes ahead of the server clock; check this computer's date and time`;
  }
  if (at < serverNow.getTime() - OCCURRED_AT_MAX_AGE_MS) {
    return `occurredAt is more than ${OCCURRED_AT_MAX_AGE_MS / 86_400_000} days before the server clock; check this computer's date and time`;
  }
  return null;
}
