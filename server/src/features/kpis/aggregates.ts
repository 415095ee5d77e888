import { LOCK_KPI_MERGE } from '../../db/locks';
import type { Database } from '../../db/types';

/**
 * The delta tables of migration 0017 and how one key's rows fold into one: the key columns,
 * then the summed columns. Rows whose counts sum to nothing are dropped.
 */
const TABLES: readonly { table: string; keys: string; sums: string; histogram?: true; keep: string }[] = [
  {
    table: 'kpi_completions_daily',
    keys: 'day, channel, partner, user_id, bucket',
    sums: 'n, within',
    histogram: true,
    keep: 'sum(n) <> 0',
  },
  {
    table: 'kpi_resolutions_daily',
    keys: 'day, channel, partner, user_id, action, bucket',
    sums: 'n',
    histogram: true,
    keep: 'sum(n) <> 0',
  },
  {
    table: 'kpi_stock',
    keys: 'day, channel, partner, assignee, status, currency',
    sums: 'n, amount',
    keep: 'sum(n) <> 0 OR sum(amount) <> 0',
  },
  {
    table: 'kpi_stock_rollup',
    keys: 'day, channel, status, currency',
    sums: 'n, amount',
    keep: 'sum(n) <> 0 OR sum(amount) <> 0',
  },
  {
    table: 'kpi_invoice_daily',
    keys: 'day, channel, partner',
    sums: 'invoices, wrong, credit, rebill',
    keep: 'sum(invoices) <> 0 OR sum(wrong) <> 0 OR sum(credit) <> 0 OR sum(rebill) <> 0',
  },
  {
    table: 'kpi_lines_daily',
    keys: 'day, source, channel, partner',
    sums: 'lines, automated',
    keep: 'sum(lines) <> 0 OR sum(automated) <> 0',
  },
];

const sums = (cols: string): string =>
  cols
    .split(', ')
    .map((c) => `sum(${c})`)
    .join(', ');

/**
 * Folds the delta rows the triggers appended into one merged row per key, day by day: every row
 * of a day with deltas is deleted and its sums written back, in one statement per table. Readers
 * sum whatever rows there are, so this only keeps the tables small; a delta committed while it
 * runs is simply left for the next time. One merge at a time (advisory lock); returns how many
 * delta rows were folded.
 */
export async function mergeKpiDeltas(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      LOCK_KPI_MERGE,
    ]);
    if (!lock?.ok) return 0;
    let folded = 0;
    for (const t of TABLES) {
      const cols = `${t.keys}, ${t.sums}${t.histogram ? ', min_ms, max_ms' : ''}`;
      const aggs = `${t.keys}, ${sums(t.sums)}${t.histogram ? ', min(min_ms), max(max_ms)' : ''}`;
      const [row] = await tx.query<{ n: number }>(
        `WITH days AS (SELECT DISTINCT day FROM ${t.table} WHERE NOT merged),
         gone AS (DELETE FROM ${t.table} WHERE day IN (SELECT day FROM days) RETURNING *),
         back AS (
           INSERT INTO ${t.table} (${cols}, merged)
           SELECT ${aggs}, true FROM gone GROUP BY ${t.keys} HAVING ${t.keep})
         SELECT count(*) FILTER (WHERE NOT merged)::int AS n FROM gone`,
      );
      folded += row?.n ?? 0;
    }
    return folded;
  });
}

/**
 * Runs the merge every `everyMs` in the background (never two at once, errors logged and
 * retried next time); returns the stop function for the server's close.
 */
export function scheduleKpiMerge(db: Database, everyMs: number, onError: (err: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    mergeKpiDeltas(db)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
