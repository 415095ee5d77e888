/**
 * Why get-next's slowest calls were slow: each timed call joined with what its server wrote about
 * it (LEDGERDESK_TIMING_FILE: pool wait, SQL, GC, event-loop blockage), the bench process's own
 * GC and blockage (it shares the machine), whether the call had to open a TCP connection, and
 * what PostgreSQL logged at that moment (checkpoints, autovacuum, lock waits).
 */
import { readFileSync } from 'node:fs';
import type { RequestTimingLine } from '../server/src/http/request-timing';
import type { StallOverlap } from '../server/src/http/stall-recorder';

/** The tables the get-next statement reads or writes (server/src/features/work/allocation.ts). */
const GET_NEXT_TABLES = [
  'exceptions',
  'user_work_types',
  'leases',
  'change_feed',
  'audit_log',
  'audit_pending',
];

export interface TimedCall {
  id: string;
  /** Epoch ms at the request's start, and its length as the operator's client saw it. */
  at: number;
  ms: number;
  /** The request went out on a new TCP connection (the keep-alive one had been closed). */
  newSocket: boolean;
  /** The bench process's own GC and event-loop blockage during the call. */
  bench: StallOverlap;
}

/** Something PostgreSQL logged that lasts a while: a checkpoint, an autovacuum run, a lock wait. */
export interface DbEvent {
  what: string;
  start: number;
  end: number;
  /** The backend that waited, for lock waits (only a wait of the call's own backend explains it). */
  pid?: number;
}

export function readTimingFiles(files: readonly string[]): Map<string, RequestTimingLine> {
  const byCall = new Map<string, RequestTimingLine>();
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      const line = JSON.parse(raw) as RequestTimingLine;
      if (line.call) byCall.set(line.call, line);
    }
  }
  return byCall;
}

const STAMP = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) UTC \[(\d+)\] (?:LOG|WARNING):\s+(.*)$/;

/** Checkpoints (start to complete), autovacuum runs (their elapsed time before the line) and lock waits. */
export function readPostgresLog(file: string): DbEvent[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: DbEvent[] = [];
  let checkpointStart: { at: number; why: string } | null = null;
  for (const raw of text.split('\n')) {
    const m = STAMP.exec(raw);
    if (!m?.[1] || m[3] === undefined) continue;
    const at = Date.parse(`${m[1].replace(' ', 'T')}Z`);
    const pid = Number(m[2]);
    const msg = m[3];
    if (msg.startsWith('checkpoint starting:')) {
      checkpointStart = { at, why: msg.slice('checkpoint starting:'.length).trim() };
    } else if (msg.startsWith('checkpoint complete:')) {
      const sync = /sync=([\d.]+) s/.exec(msg)?.[1];
      events.push({
        what: `checkpoint (${checkpointStart?.why ?? '?'}, sync ${sync ?? '?'} s)`,
        start: checkpointStart?.at ?? at,
        end: at,
      });
      checkpointStart = null;
    } else if (msg.startsWith('automatic vacuum') || msg.startsWith('automatic analyze')) {
      const table = /of table "([^"]+)"/.exec(msg)?.[1] ?? '?';
      const elapsed = Number(/elapsed: ([\d.]+) s/.exec(raw)?.[1] ?? 0);
      events.push({
        what: `auto${msg.startsWith('automatic vacuum') ? 'vacuum' : 'analyze'} ${table}`,
        start: at - elapsed * 1000,
        end: at,
      });
    } else if (/ acquired .* after [\d.]+ ms/.test(msg)) {
      // "process N acquired ExclusiveLock on advisory lock [..] after 107.8 ms": the whole wait.
      const after = Number(/after ([\d.]+) ms/.exec(msg)?.[1] ?? 0);
      const lock = /acquired (.*) after/.exec(msg)?.[1] ?? 'a lock';
      events.push({ what: `lock wait ${after.toFixed(0)} ms for ${lock}`, start: at - after, end: at, pid });
    }
  }
  if (checkpointStart)
    events.push({ what: 'checkpoint (unfinished)', start: checkpointStart.at, end: Infinity });
  return events;
}

/**
 * Calls that were the first on their PostgreSQL connection after an autovacuum or autoanalyze of
 * a table get-next uses: that run rewrote the table's statistics in pg_class, which invalidates
 * every connection's cached plan of the statement, so that call planned it again.
 */
export function findReplans(
  calls: readonly TimedCall[],
  timings: ReadonlyMap<string, RequestTimingLine>,
  db: readonly DbEvent[],
): Map<string, string> {
  const maintenance = db.filter(
    (e) => /^auto(vacuum|analyze) /.test(e.what) && GET_NEXT_TABLES.some((t) => e.what.endsWith(`.${t}`)),
  );
  const lastUse = new Map<number, number>();
  const replanned = new Map<string, string>();
  for (const call of [...calls].sort((a, b) => a.at - b.at)) {
    for (const pid of timings.get(call.id)?.backendPids ?? []) {
      const since = lastUse.get(pid);
      lastUse.set(pid, call.at);
      if (since === undefined) continue;
      const run = maintenance.find((e) => e.end > since && e.end <= call.at);
      if (run) replanned.set(call.id, run.what);
    }
  }
  return replanned;
}

export interface Breakdown {
  call: TimedCall;
  server: RequestTimingLine | undefined;
  db: DbEvent[];
  cause: string;
}

const f = (ms: number): string => ms.toFixed(1);

/** The largest part of a call's time, named; PostgreSQL events overlapping it are listed beside it. */
export function explain(
  call: TimedCall,
  server: RequestTimingLine | undefined,
  db: readonly DbEvent[],
  replannedAfter?: string,
): Breakdown {
  const end = call.at + call.ms;
  const own = new Set(server?.backendPids ?? []);
  const overlapping = db
    .filter((e) => e.start < end && e.end > call.at && (e.pid === undefined || own.has(e.pid)))
    .slice(0, 4);
  if (!server) {
    // Servers not timed (BENCH_SERVER_TIMING=off): what the bench and PostgreSQL saw.
    const benchStall = call.bench.gcMs + call.bench.lagMs;
    const parts = [
      'no server record',
      ...(call.newSocket ? ['new TCP connection'] : []),
      ...(benchStall > call.ms / 2 ? [`bench process stalled ${f(benchStall)} ms`] : []),
      ...(replannedAfter ? [`first call on its connection after ${replannedAfter} (a re-plan)`] : []),
      ...(overlapping.length > 0 ? [`during ${overlapping.map((e) => e.what).join(', ')}`] : []),
    ];
    return { call, server, db: overlapping, cause: parts.join('; ') };
  }
  const handler = server.serverMs - server.poolWaitMs - server.sqlMs;
  const outside = call.ms - server.serverMs;
  const parts: [string, number][] = [
    ['waiting for a pooled connection', server.poolWaitMs],
    [`SQL (${server.statements} statement${server.statements === 1 ? '' : 's'})`, server.sqlMs],
    [`server GC${server.majorGc ? ' (major)' : ''}`, Math.min(server.gcMs, server.serverMs)],
    ['server event loop held', Math.max(0, server.lagMs - server.gcMs)],
    ['server CPU in HTTP/JSON', Math.max(0, handler - server.gcMs - Math.max(0, server.lagMs - server.gcMs))],
    [call.newSocket ? 'outside the handlers, new TCP connection' : 'outside the handlers', outside],
  ];
  parts.sort((a, b) => b[1] - a[1]);
  const [top] = parts;
  let cause = top ? `${top[0]} ${f(top[1])} ms` : '?';
  if (top?.[0] === parts.find((p) => p[0].startsWith('outside'))?.[0]) {
    const benchStall = call.bench.gcMs + call.bench.lagMs;
    if (benchStall > outside / 2) cause += ` (bench process stalled ${f(benchStall)} ms)`;
  }
  if (replannedAfter) cause += `; first call on its connection after ${replannedAfter} (a re-plan)`;
  if (overlapping.length > 0) cause += `; during ${overlapping.map((e) => e.what).join(', ')}`;
  return { call, server, db: overlapping, cause };
}

export function describe(b: Breakdown): string {
  const s = b.server;
  const parts = s
    ? `server ${f(s.serverMs)} (pool ${f(s.poolWaitMs)}, sql ${f(s.sqlMs)}/${s.statements}, gc ${f(s.gcMs)}, loop held ${f(s.lagMs)})`
    : 'server ?';
  const bench = `bench gc ${f(b.call.bench.gcMs)} loop held ${f(b.call.bench.lagMs)}`;
  return `${f(b.call.ms).padStart(7)} ms  ${parts}, ${bench}${b.call.newSocket ? ', new socket' : ''}  <- ${b.cause}`;
}

/** The first word of a cause, to count how often each kind explains the tail. */
export function causeKind(b: Breakdown): string {
  return b.cause.replace(/ [\d.]+ ms.*$/, '').replace(/ \(\d+ statements?\)/, '');
}
