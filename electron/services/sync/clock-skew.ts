/**
 * How far this computer's clock is from the server's, from the Date header of every answer.
 * A wrong clock shows up as odd failures (tokens "expired" or "not yet valid", results with
 * impossible times refused); the status bar names the clock instead.
 *
 * The Date header has one-second resolution and the answer took some time to arrive, so only an
 * offset well beyond both counts; the newest answer wins, so a clock fixed while the app runs is
 * seen at the next request.
 */
export interface ClockSkew {
  /** Records one answer's Date header (ms), as it arrives. */
  observe(serverMs: number): void;
  /** Server time minus local time, ms, when beyond the tolerance; null when fine or not yet known. */
  skewMs(): number | null;
}

/** Beyond this the clock is called wrong: far above header resolution and network delay. */
export const CLOCK_SKEW_TOLERANCE_MS = 2 * 60_000;

export function createClockSkew(
  options: { toleranceMs?: number; now?: () => Date; onChange?: (skewMs: number | null) => void } = {},
): ClockSkew {
  const now = options.now ?? (() => new Date());
  const tolerance = options.toleranceMs ?? CLOCK_SKEW_TOLERANCE_MS;
  let skew: number | null = null;
  return {
    observe(serverMs) {
      const offset = Math.round(serverMs - now().getTime());
      const next = Math.abs(offset) > tolerance ? offset : null;
      // Small moves of a known skew (request timing) are not news.
      const changed =
        (next === null) !== (skew === null) ||
        (next !== null && skew !== null && Math.abs(next - skew) >= 60_000);
      if (!changed) return;
      skew = next;
      options.onChange?.(skew);
    },
    skewMs: () => skew,
  };
}
