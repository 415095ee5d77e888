import type { Mutation } from '@shared/sync/mutations';
import type { Queryable } from '../../db/types';
import { conflict } from '../../http/api-error';

const reopenFirst = (period: string): string =>
  `period ${period} is locked after month-end sign-off; a lead must reopen it first`;

/**
 * Which of these periods are locked, read FOR SHARE: a sign-off that would lock one waits for
 * the change being checked to commit, and the change waits for a sign-off in flight, so nothing
 * slips into a period between its readiness check and its lock.
 */
export async function lockedAmong(tx: Queryable, periods: readonly string[]): Promise<Set<string>> {
  if (periods.length === 0) return new Set();
  const rows = await tx.query<{ period: string; state: string }>(
    'SELECT period, state FROM close_periods WHERE period = ANY($1::text[]) ORDER BY period FOR SHARE',
    [[...new Set(periods)]],
  );
  return new Set(rows.filter((r) => r.state === 'locked').map((r) => r.period));
}

/** Refuses (409) a change to an exception whose period is locked. */
export async function assertExceptionPeriodOpen(tx: Queryable, exceptionId: string): Promise<void> {
  const [row] = await tx.query<{ period: string }>(
    `SELECT to_char(period_start, 'YYYY-MM') AS period FROM exceptions WHERE id = $1`,
    [exceptionId],
  );
  if (!row) return;
  if ((await lockedAmong(tx, [row.period])).has(row.period)) throw conflict(reopenFirst(row.period));
}

/**
 * Resolutions pushed for exceptions of a locked period: the problem to reject each with (the
 * operator's work is kept in sync_mutations; it can be pushed again once the period is reopened).
 */
export async function lockedPeriodProblems(
  tx: Queryable,
  mutations: readonly Mutation[],
): Promise<Map<string, string[]>> {
  const resolves = mutations.filter((m) => m.body.kind === 'exception.resolve');
  const out = new Map<string, string[]>();
  if (resolves.length === 0) return out;
  const rows = await tx.query<{ id: string; period: string }>(
    `SELECT id, to_char(period_start, 'YYYY-MM') AS period FROM exceptions WHERE id = ANY($1::text[])`,
    [resolves.map((m) => m.body.exceptionId)],
  );
  const periodOf = new Map(rows.map((r) => [r.id, r.period]));
  const locked = await lockedAmong(
    tx,
    rows.map((r) => r.period),
  );
  for (const m of resolves) {
    const period = periodOf.get(m.body.exceptionId);
    if (period && locked.has(period)) out.set(m.mutationId, [reopenFirst(period)]);
  }
  return out;
}

/** The first staged row of a batch that falls in a locked period, if any (ingest refuses the file). */
export async function lockedBatchRow(
  tx: Queryable,
  batchId: string,
): Promise<{ row: number; period: string; message: string } | null> {
  const rows = await tx.query<{ period: string; row: number }>(
    `SELECT to_char(day, 'YYYY-MM') AS period, min(row_number)::int AS row
     FROM close_staged_days WHERE batch_id = $1::bigint AND day IS NOT NULL
     GROUP BY 1 ORDER BY 2`,
    [batchId],
  );
  const locked = await lockedAmong(
    tx,
    rows.map((r) => r.period),
  );
  const hit = rows.find((r) => locked.has(r.period));
  return hit ? { row: hit.row, period: hit.period, message: reopenFirst(hit.period) } : null;
}
