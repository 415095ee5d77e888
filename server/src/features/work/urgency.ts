/**
 * Allocation order (Pega-style goal / deadline / passed-deadline urgency):
 *
 *   1. band   0 = SLA deadline passed (sla_due_at <= now)
 *             1 = past the goal: deadline within the goal window (now < sla_due_at <= now + window)
 *             2 = the rest
 *   2. priority (1 most urgent)
 *   3. sla_due_at (earliest first), then id for a total order.
 *
 * So urgency rises as the SLA nears (band 2 -> 1) and passes (-> 0), and a passed deadline
 * outranks any priority. The band depends on now, so it cannot live in an index; instead the
 * candidate query reads one index range per (band, priority): 3 x 5 = 15 short scans of the
 * partial index exceptions_open_queue (priority, sla_due_at) WHERE status = 'open', each stopping
 * after `k` rows, which keeps get-next O(15 k) however long the queue is.
 */
export const BANDS = [0, 1, 2] as const;
export const PRIORITIES = [1, 2, 3, 4, 5] as const;

/** The band as a SQL expression over a sla column, with `$goal` the window in seconds (a parameter number). */
export function bandSql(slaColumn: string, goalParam: number): string {
  return `CASE WHEN ${slaColumn} <= now() THEN 0
    WHEN ${slaColumn} <= now() + make_interval(secs => $${goalParam}) THEN 1 ELSE 2 END`;
}

/** The sla_due_at range of a band, as SQL conditions; `$goal` is the window in seconds. */
export function bandRangeSql(band: (typeof BANDS)[number], goalParam: number): string {
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

/** The same order in TypeScript, for tests and for sorting what the database returned. */
export function urgencyBand(slaDueAt: Date, now: Date, goalWindowSeconds: number): 0 | 1 | 2 {
  const t = slaDueAt.getTime();
  if (t <= now.getTime()) return 0;
  if (t <= now.getTime() + goalWindowSeconds * 1000) return 1;
  return 2;
}
