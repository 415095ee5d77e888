/**
 * The allocation order both sides follow (the server's get-next and the desk's offline
 * get-next): SLA band, then priority (1 most urgent), then the SLA deadline, then id.
 *
 *   band 0 = deadline passed (due <= now)
 *        1 = past the goal: due within the goal window (now < due <= now + window)
 *        2 = the rest
 *
 * A passed deadline outranks any priority. The band depends on now, so neither side can index
 * it: each reads one index range per (band, priority), BANDS x PRIORITIES short scans.
 */
export const BANDS = [0, 1, 2] as const;
export type UrgencyBand = (typeof BANDS)[number];
export const PRIORITIES = [1, 2, 3, 4, 5] as const;

/** The default SLA goal window: the server's unless configured, and the desk's until told otherwise. */
export const DEFAULT_SLA_GOAL_WINDOW_SECONDS = 24 * 3600;

/** The band of a deadline, all times in epoch milliseconds. */
export function urgencyBand(slaDueMs: number, nowMs: number, goalWindowMs: number): UrgencyBand {
  if (slaDueMs <= nowMs) return 0;
  if (slaDueMs <= nowMs + goalWindowMs) return 1;
  return 2;
}
