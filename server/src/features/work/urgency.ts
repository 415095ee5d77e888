import { BANDS, PRIORITIES, type UrgencyBand } from '@shared/urgency';

/** The allocation order is shared/urgency.ts; this file writes its bands as PostgreSQL conditions. */
export { BANDS, PRIORITIES };

/** The band as a SQL expression over a sla column, with `$goal` the window in seconds (a parameter number). */
export function bandSql(slaColumn: string, goalParam: number): string {
  return `CASE WHEN ${slaColumn} <= now() THEN 0
    WHEN ${slaColumn} <= now() + make_interval(secs => $${goalParam}) THEN 1 ELSE 2 END`;
}

/** The sla_due_at range of a band, as SQL conditions; `$goal` is the window in seconds. */
export function bandRangeSql(band: UrgencyBand, goalParam: number): string {
  const goal = `now() + make_interval(secs => $${goalParam})`;
  switch (band) {
    case 0:
      return 'sla_due_at <= now()';
    case 1:
      return `sla_due_at > now() AND sla_due_at <= ${goal}`;
    case 2:
      return `sla_due_at > ${goal}`;
  }
}
