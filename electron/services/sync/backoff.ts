/** Retry delays: exponential with full jitter, capped (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/**
 * The wait before retry number `attempt` (1 = the first retry): uniform in [0, min(cap, base * 2^(attempt-1))].
 * Full jitter spreads a room full of laptops reconnecting after one outage, instead of having
 * them all hit the server in the same second.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.floor(random() * exp);
}
