/**
 * Median and p90 from the duration histograms of the KPI aggregates (migration 0017).
 *
 * Every duration is kept in milliseconds in a bucket of kpi_bucket: one bucket per millisecond
 * below 1,024 ms, above that ten significant bits, so a bucket [m << e, (m + 1) << e) with
 * m in [512, 1024) is less than 1/512 (0.2%) of its values wide. A bucket row also keeps the
 * smallest and largest value it counted.
 *
 * Error bound: a value is read exactly when its bucket holds one distinct value (min = max),
 * which is the case in the hand-computed tests and for every duration measured in whole seconds
 * up to 512 s. Otherwise it is interpolated linearly between the bucket's min and max, so it is
 * off by less than the bucket's width: under 1 ms below 1,024 ms, under 0.2% above. The
 * percentile interpolates between two such values as percentile_cont does, so it keeps that
 * bound; rounded to whole seconds, a cycle time of a day can be off by at most 3 minutes.
 */
export interface HistogramRow {
  bucket: number;
  n: number;
  min_ms: number | null;
  max_ms: number | null;
}

/** The lower and upper edge (exclusive) of a bucket, in milliseconds. */
export function bucketRange(bucket: number): [number, number] {
  if (bucket < 1024) return [bucket, bucket + 1];
  const e = Math.floor(bucket / 1024);
  const m = bucket % 1024;
  return [m * 2 ** e, (m + 1) * 2 ** e];
}

/** The k-th smallest value (0-based) of the histogram; rows sorted by bucket, counts > 0. */
function valueAt(rows: readonly HistogramRow[], k: number): number {
  let before = 0;
  for (const r of rows) {
    if (k < before + r.n) {
      const [lo, hi] = bucketRange(r.bucket);
      const min = r.min_ms ?? lo;
      const max = r.max_ms ?? hi - 1;
      if (r.n === 1 || min === max) return min;
      return min + ((max - min) * (k - before)) / (r.n - 1);
    }
    before += r.n;
  }
  return rows.at(-1)?.max_ms ?? 0;
}

/** percentile_cont(p) over the histogram, in milliseconds; null when it counts nothing. */
export function percentileCont(rows: readonly HistogramRow[], p: number): number | null {
  const sorted = rows.filter((r) => r.n > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((s, r) => s + r.n, 0);
  if (total === 0) return null;
  const pos = p * (total - 1);
  const lo = Math.floor(pos);
  const a = valueAt(sorted, lo);
  if (pos === lo) return a;
  const b = valueAt(sorted, lo + 1);
  return a + (pos - lo) * (b - a);
}

/** Count, median and p90 in whole seconds, as the dashboard shows durations. */
export function durationStats(rows: readonly HistogramRow[]): {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
} {
  const seconds = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / 1000));
  return {
    count: rows.reduce((s, r) => s + (r.n > 0 ? r.n : 0), 0),
    medianSeconds: seconds(percentileCont(rows, 0.5)),
    p90Seconds: seconds(percentileCont(rows, 0.9)),
  };
}
