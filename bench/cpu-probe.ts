/**
 * A fixed piece of JavaScript work, timed. On the development VM the same bench work takes up to
 * ~40% more CPU seconds from one minute to the next (a paravirtualised guest that reports no
 * steal time), so the benches print this probe before and after their figures: a slow probe
 * marks a run made while the machine itself was slow, not a regression.
 */
export function cpuProbeMs(): number {
  const rows = Array.from({ length: 20_000 }, (_, i) => ({
    id: `EX-${String(i).padStart(6, '0')}`,
    amount: `${i}.25`,
    tags: ['aws', 'usage', String(i % 7)],
  }));
  const round = (): number => {
    let n = 0;
    for (let k = 0; k < 5; k += 1) n += (JSON.parse(JSON.stringify(rows)) as unknown[]).length;
    return n;
  };
  round(); // compiled and warm before it is timed
  const t = performance.now();
  if (round() !== 100_000) throw new Error('cpu probe');
  return performance.now() - t;
}

/** ~140 ms in a bench process on the development VM at its usual speed (2026-11-26). */
export const probeLine = (label: string): string =>
  `cpu probe ${label}: ${cpuProbeMs().toFixed(0)} ms (the dev VM at its usual speed: ~140 ms)`;
