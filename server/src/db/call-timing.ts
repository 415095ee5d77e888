import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where one request's database time went, filled in by the PostgreSQL driver while a request
 * runs inside `callTiming.run(...)` (only when the server measures itself: LEDGERDESK_TIMING_FILE).
 * Pool wait and statement time are told apart because they have different cures: more or warmer
 * connections for the first, plans, locks and WAL flushes for the second.
 */
export interface CallTiming {
  /** Waiting for a pooled connection (a cold pool also pays the connection's login here). */
  poolWaitMs: number;
  /** In statements, round trip included: the server's work, lock waits and the commit's flush. */
  sqlMs: number;
  statements: number;
  /** The slowest statement's time, to tell one slow statement from many ordinary ones. */
  slowestSqlMs: number;
  /** PostgreSQL backends that ran its statements, to find their lock waits in the server log. */
  backendPids: number[];
}

export const callTiming = new AsyncLocalStorage<CallTiming>();

export function newCallTiming(): CallTiming {
  return { poolWaitMs: 0, sqlMs: 0, statements: 0, slowestSqlMs: 0, backendPids: [] };
}

export function recordStatement(timing: CallTiming, ms: number, backendPid: number | undefined): void {
  if (backendPid !== undefined && !timing.backendPids.includes(backendPid))
    timing.backendPids.push(backendPid);
  timing.sqlMs += ms;
  timing.statements += 1;
  if (ms > timing.slowestSqlMs) timing.slowestSqlMs = ms;
}
