import { PerformanceObserver, constants } from 'node:perf_hooks';

/** A span of time on `performance.now()`'s clock during which this process did not run requests. */
interface Stall {
  start: number;
  end: number;
}

export interface StallOverlap {
  /** Garbage collection inside the window (ms), and whether any of it was a full mark-compact. */
  gcMs: number;
  majorGc: boolean;
  /** Event-loop blockage inside the window (ms): the loop was busy with something else. */
  lagMs: number;
}

export interface StallRecorder {
  /** How much of [start, end] this process spent in GC or with its event loop held. */
  overlap(start: number, end: number): StallOverlap;
  stop(): void;
}

const KEEP = 4096;
/** Lag probe period: finer costs wake-ups, coarser hides short blockages. */
const PROBE_MS = 5;

function overlapMs(stalls: readonly Stall[], start: number, end: number): number {
  let ms = 0;
  for (const s of stalls) {
    if (s.end <= start || s.start >= end) continue;
    ms += Math.min(end, s.end) - Math.max(start, s.start);
  }
  return ms;
}

function push<T>(ring: T[], item: T): void {
  ring.push(item);
  if (ring.length > KEEP) ring.splice(0, ring.length - KEEP);
}

/**
 * Records this process's GC pauses (perf_hooks 'gc' entries) and event-loop blockages (a timer
 * that fires late by more than a millisecond was held by something), so a slow call can be laid
 * against what the process was doing at the time. For measuring (benches, LEDGERDESK_TIMING_FILE);
 * the probe wakes 200 times a second.
 */
export function startStallRecorder(): StallRecorder {
  const gcs: (Stall & { major: boolean })[] = [];
  const lags: Stall[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const detail = (e as PerformanceEntry & { detail?: { kind?: number } }).detail;
      push(gcs, {
        start: e.startTime,
        end: e.startTime + e.duration,
        major: detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR,
      });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  let expected = performance.now() + PROBE_MS;
  const probe = setInterval(() => {
    const now = performance.now();
    const late = now - expected;
    if (late > 1) push(lags, { start: now - late, end: now });
    expected = now + PROBE_MS;
  }, PROBE_MS);
  probe.unref();
  return {
    overlap(start, end) {
      const inside = gcs.filter((g) => g.end > start && g.start < end);
      return {
        gcMs: overlapMs(inside, start, end),
        majorGc: inside.some((g) => g.major),
        lagMs: overlapMs(lags, start, end),
      };
    },
    stop() {
      observer.disconnect();
      clearInterval(probe);
    },
  };
}
