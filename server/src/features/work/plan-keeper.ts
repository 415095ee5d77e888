import { callTiming, newCallTiming } from '../../db/call-timing';
import type { Database } from '../../db/types';
import { warmGetNext, type AllocationSettings } from './allocation';

/** The tables the get-next statement reads or writes (allocation.ts). */
export const GET_NEXT_TABLES = [
  'exceptions',
  'user_work_types',
  'leases',
  'change_feed',
  'audit_log',
  'audit_pending',
] as const;

export interface PlanKeeper {
  stop(): Promise<void>;
}

/**
 * Keeps get-next planned on every idle connection. Its generic plan is cached per connection, but
 * a vacuum or analyze (autovacuum, mostly) of any table the statement uses rewrites that table's
 * statistics in pg_class, which invalidates the plan on every connection; the next operator on
 * each connection then paid the re-plan inside their call (measured on the shared dev VM: 3-25 ms
 * against 0.1 ms for the cached plan, on each of the 40 connections of the bench's two servers,
 * after every such run; audit_pending and change_feed churn, so that is every minute or so under
 * load). The keeper reads those tables' vacuum and analyze counters every `intervalMs` (one cheap
 * statement) and, when they move, runs the warm-up on the connections idle at that moment (and at
 * later ticks on those that were busy), so the re-plan happens here and not in a request. PGlite prepares nothing: no keeper.
 */
export function keepGetNextPlanned(
  db: Database,
  settings: AllocationSettings,
  opts: { intervalMs?: number; onError: (error: unknown) => void },
): PlanKeeper {
  if (db.kind === 'pglite') return { stop: async () => undefined };
  let last: string | null = null;
  // Backends re-planned since the counters last moved; a connection busy at that moment is
  // re-planned at a later tick, once it is idle.
  let replanned: Set<number> | null = null;
  let running: Promise<void> = Promise.resolve();
  const check = async (): Promise<void> => {
    const rows = await db.query<{ n: string | null }>(
      `SELECT sum(vacuum_count + autovacuum_count + analyze_count + autoanalyze_count)::text AS n
       FROM pg_stat_user_tables WHERE relname = ANY($1::text[])`,
      [GET_NEXT_TABLES],
    );
    const now = rows[0]?.n ?? '0';
    if (last !== null && now !== last) replanned = new Set();
    last = now;
    if (!replanned) return;
    const timing = newCallTiming();
    const idle = db.idleConnections?.() ?? db.connections;
    await callTiming.run(timing, () => warmGetNext(db, settings, idle));
    for (const pid of timing.backendPids) replanned.add(pid);
    if (replanned.size >= db.connections) replanned = null;
  };
  const timer = setInterval(() => {
    running = running.then(check).catch(opts.onError);
  }, opts.intervalMs ?? 500);
  timer.unref();
  running = check().catch(opts.onError);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
