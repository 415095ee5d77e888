/**
 * get-next latency with 200 concurrent operators on 2 server processes over one real PostgreSQL
 * (fsync and synchronous_commit ON, as in production). `npx tsx bench/get-next.ts`
 *
 * Operator model: each of OPERATORS loops: get-next (count 1) -> work the item for a uniformly
 * random time around the phase's mean (half to one and a half times it) -> get-next again. Start
 * times are staggered over one work time so operators do not march in lock-step; they are spread
 * over the two servers. Only get-next calls are timed (client-side, request to parsed answer),
 * after one unmeasured call per operator; a phase lasts BENCH_PHASE_MS, or three items per
 * operator if that is longer.
 *
 * The same 200 operators run several phases, from a pace that is still fast for billing
 * exceptions (an item every 20 s each; real ones take minutes) to the stress pace of one item a
 * second each (200 calls/s), so the figures show where this machine stops meeting the target.
 *
 * Every call is explained too: the servers time each request (LEDGERDESK_TIMING_FILE: pool wait,
 * SQL, GC, event-loop blockage), the bench records its own GC and blockage and whether a call
 * opened a new TCP connection, and PostgreSQL logs checkpoints, autovacuum runs and lock waits
 * over 20 ms; each phase prints p50 to p99.9 and max, what explains the calls above its p99, and
 * the slowest calls with their breakdown (bench/get-next-causes.ts).
 *
 * Environment: DATABASE_URL to use an existing server instead of a throwaway cluster;
 * BENCH_PHASE_MS (per phase), BENCH_MIN_CALLS (a phase lasts long enough for that many calls at
 * its pace; 2,000 by default, so p99.9 is the third slowest call and not the max), BENCH_OPERATORS,
 * BENCH_OPEN, BENCH_PACES (mean ms per item, comma separated) to change the load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../server/src/db/migrate';
import { openDatabase } from '../server/src/db/open';
import { mintTokens, seedLoadFixtures } from '../scripts/load-fixtures';
import { startPostgresCluster, type PostgresCluster } from '../scripts/postgres-cluster';
import { spawnServer, type ServerProcess } from '../scripts/server-processes';
import { startStallRecorder } from '../server/src/http/stall-recorder';
import { probeLine } from './cpu-probe';
import {
  causeKind,
  describe,
  explain,
  findReplans,
  readPostgresLog,
  readTimingFiles,
  type TimedCall,
} from './get-next-causes';

const OPERATORS = Number(process.env.BENCH_OPERATORS ?? 200);
const OPEN = Number(process.env.BENCH_OPEN ?? 20_000);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 30_000);
/**
 * Calls a phase should give at least (it lasts long enough for them at its pace): p99.9 of 600
 * calls is the slowest call, of 2,000 the third slowest, so it says something. The default run
 * takes about six minutes on a quiet machine; BENCH_MIN_CALLS=600 is the short one.
 */
const MIN_CALLS = Number(process.env.BENCH_MIN_CALLS ?? 2000);
const PACES_MS = (process.env.BENCH_PACES ?? '20000,5000,2000,1000').split(',').map(Number);
const SERVERS = 2;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
/** Slowest calls listed per phase. */
const WORST = 10;
/**
 * BENCH_SERVER_TIMING=off runs the servers as production does, without timing each request: on
 * Node 20 that timing (AsyncLocalStorage, a 5 ms lag probe, a file line per call) costs CPU on
 * every promise, which the 1 s pace feels. The tail is then explained from the bench's side and
 * PostgreSQL's log only.
 */
const SERVER_TIMING = process.env.BENCH_SERVER_TIMING !== 'off';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * node:http with keep-alive, not fetch: the load generator shares the machine with the servers,
 * and fetch cost it about as much CPU per call as the server spent answering (measured).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1000 });

function post(
  url: string,
  token: string,
  body: string,
  callId: string,
): Promise<{ status: number; text: string; newSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'content-length': Buffer.byteLength(body),
          'x-call-id': callId,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            newSocket: !req.reusedSocket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  let cluster: PostgresCluster | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    cluster = await startPostgresCluster({
      durable: true,
      // Logged so slow calls can be laid against them; deadlock_timeout is also when a lock wait
      // is logged (1 s by default would hide every wait that matters here).
      settings: [
        'log_checkpoints=on',
        'log_autovacuum_min_duration=0',
        'log_lock_waits=on',
        'deadlock_timeout=20ms',
        // pg_stat_wal's fsync time: every get-next commit waits for its WAL flush.
        'track_wal_io_timing=on',
      ],
    });
    if (!cluster) throw new Error('no PostgreSQL: set DATABASE_URL or install the postgresql package');
    url = cluster.url;
  }
  const servers: ServerProcess[] = [];
  const timingDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-get-next-'));
  const timingFiles = Array.from({ length: SERVERS }, (_, i) => join(timingDir, `server-${i}.jsonl`));
  const stalls = startStallRecorder();
  console.log(probeLine('before'));
  try {
    const db = await openDatabase({ databaseUrl: url });
    await migrate(db);
    const t0 = performance.now();
    const fixtures = await seedLoadFixtures(db, {
      operators: OPERATORS,
      openExceptions: OPEN,
      prefix: `B${Date.now().toString(36).slice(-3).toUpperCase()}`,
    });
    // A production database is not freshly bulk-loaded: vacuum now, and write the load's dirty
    // pages out (a checkpoint), not under the measured load.
    await db.query('VACUUM ANALYZE');
    await db.query('CHECKPOINT');
    console.log(
      `seeded ${OPERATORS} operators and ${OPEN} open exceptions in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const tokens = await mintTokens(db, SECRET, fixtures.operators, 3 * 3600);
    const env = { DATABASE_URL: url, LEDGERDESK_JWT_SECRET: SECRET, LEDGERDESK_DB_POOL: '20' };
    for (let i = 0; i < SERVERS; i++)
      servers.push(
        await spawnServer(SERVER_TIMING ? { ...env, LEDGERDESK_TIMING_FILE: timingFiles[i] } : env),
      );
    console.log(
      `servers: ${servers.map((s) => s.url).join(', ')}; fsync ${cluster ? 'on' : 'as configured'}; ` +
        `per-request server timing ${SERVER_TIMING ? 'on' : 'off'}`,
    );

    // Not measured: each operator's first call (a shift is hours long; a fresh process's first
    // requests and each operator's first token verification are start-up, not the steady state).
    await Promise.all(
      fixtures.operators.map(async (op, i) => {
        await sleep(Math.random() * 5000);
        await post(
          `${servers[i % SERVERS]?.url}/api/work/next`,
          tokens.get(op.id) ?? '',
          '{"count":1}',
          `warm-${i}`,
        );
      }),
    );

    interface Phase {
      paceMs: number;
      phaseMs: number;
      calls: TimedCall[];
      errors: number;
      empty: number;
      bgwriter: string;
    }
    const bgwriter = async (): Promise<Record<string, string>> =>
      (
        await db.query<Record<string, string>>(
          `SELECT checkpoints_timed::text, checkpoints_req::text, buffers_checkpoint::text,
             buffers_backend::text, w.wal_sync::text, round(w.wal_sync_time)::text AS wal_sync_ms
           FROM pg_stat_bgwriter, pg_stat_wal w`,
        )
      )[0] ?? {};
    const phase = async (paceMs: number): Promise<Phase> => {
      const calls: TimedCall[] = [];
      let errors = 0;
      let empty = 0;
      let n = 0;
      const work = (): number => paceMs * (0.5 + Math.random());
      // At least three items per operator, and long enough for MIN_CALLS at this pace (each
      // operator asks about once per `paceMs`).
      const phaseMs = Math.max(PHASE_MS, 3 * paceMs, Math.ceil((MIN_CALLS * paceMs) / OPERATORS));
      const deadline = Date.now() + phaseMs;
      const before = await bgwriter();
      await Promise.all(
        fixtures.operators.map(async (op, i) => {
          const server = servers[i % SERVERS];
          const token = tokens.get(op.id);
          if (!server || !token) throw new Error('setup');
          await sleep(Math.random() * paceMs);
          while (Date.now() < deadline) {
            const id = `${paceMs}-${(n += 1)}`;
            const start = performance.now();
            const res = await post(`${server.url}/api/work/next`, token, '{"count":1}', id);
            const end = performance.now();
            if (res.status !== 200) errors += 1;
            else {
              calls.push({
                id,
                at: performance.timeOrigin + start,
                ms: end - start,
                newSocket: res.newSocket,
                bench: stalls.overlap(start, end),
              });
              // The answer's schema is checked by the tests; here only whether an item came back.
              if (res.text.startsWith('{"items":[]')) empty += 1;
            }
            await sleep(work());
          }
        }),
      );
      const after = await bgwriter();
      const delta = Object.keys(after)
        .map((k) => `${k} +${Number(after[k]) - Number(before[k])}`)
        .join(', ');
      // Every get-next commit waits for its WAL flush: a slow disk shows here, not in the plan.
      const syncs = Number(after.wal_sync) - Number(before.wal_sync);
      const syncMs = Number(after.wal_sync_ms) - Number(before.wal_sync_ms);
      const fsync = syncs > 0 ? `; WAL fsync mean ${(syncMs / syncs).toFixed(2)} ms` : '';
      return { paceMs, phaseMs, calls, errors, empty, bgwriter: delta + fsync };
    };
    const phases: Phase[] = [];
    for (const pace of PACES_MS) phases.push(await phase(pace));
    console.log(probeLine('after'));
    // Stopped before reading: each server writes its last timing lines as it closes.
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    const timings = readTimingFiles(timingFiles);
    const dbEvents = cluster ? readPostgresLog(cluster.logFile) : [];
    for (const p of phases) report(p, timings, dbEvents);
    await db.close();
  } finally {
    stalls.stop();
    await Promise.all(servers.map((s) => s.stop()));
    cluster?.stop();
    rmSync(timingDir, { recursive: true, force: true });
  }
}

function report(
  p: {
    paceMs: number;
    phaseMs: number;
    calls: TimedCall[];
    errors: number;
    empty: number;
    bgwriter: string;
  },
  timings: ReturnType<typeof readTimingFiles>,
  dbEvents: ReturnType<typeof readPostgresLog>,
): void {
  const sorted = [...p.calls].sort((a, b) => a.ms - b.ms);
  const ms = sorted.map((c) => c.ms);
  const p99 = percentile(ms, 99);
  const pct = (q: number): string => percentile(ms, q).toFixed(1);
  console.log(
    `\n${OPERATORS} operators, an item every ${(p.paceMs / 1000).toFixed(0)} s each: ${ms.length} calls ` +
      `(${(ms.length / (p.phaseMs / 1000)).toFixed(0)}/s), ${p.errors} errors, ${p.empty} empty; ` +
      `p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, p99.9 ${pct(99.9)} ms, max ${pct(100)} ms` +
      `  [p99 < 25 ms: ${p99 < 25 ? 'met' : 'NOT met'}]`,
  );
  const newSockets = p.calls.filter((c) => c.newSocket).length;
  console.log(`  new TCP connections: ${newSockets} of ${p.calls.length} calls; PostgreSQL: ${p.bgwriter}`);
  const slowest = (q: number): number => ms.length - Math.ceil((q / 100) * ms.length) + 1;
  console.log(
    `  p99 is slowest call no. ${slowest(99)}, p99.9 no. ${slowest(99.9)}` +
      (ms.length < 1000 ? ' (under 1,000 calls p99.9 is about the max: run with BENCH_MIN_CALLS=2000)' : ''),
  );
  const replans = findReplans(p.calls, timings, dbEvents);
  const tail = sorted
    .filter((c) => c.ms >= p99)
    .map((c) => explain(c, timings.get(c.id), dbEvents, replans.get(c.id)));
  const sql = p.calls.map((c) => timings.get(c.id)?.sqlMs ?? Number.NaN).sort((a, b) => a - b);
  const replanSql = [...replans.keys()]
    .map((id) => timings.get(id)?.sqlMs ?? Number.NaN)
    .sort((a, b) => a - b);
  if (SERVER_TIMING)
    console.log(
      `  SQL per call: p50 ${percentile(sql, 50).toFixed(1)} ms, p99 ${percentile(sql, 99).toFixed(1)} ms; ` +
        `${replans.size} calls first on their connection after an autovacuum/analyze of a get-next table ` +
        `(their SQL p50 ${percentile(replanSql, 50).toFixed(1)} ms)`,
    );
  const kinds = new Map<string, number>();
  for (const b of tail) kinds.set(causeKind(b), (kinds.get(causeKind(b)) ?? 0) + 1);
  console.log(
    `  calls at or above p99 (${tail.length}), mostly: ` +
      [...kinds.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} x${n}`)
        .join('; '),
  );
  console.log(`  slowest ${WORST}:`);
  for (const b of tail.reverse().slice(0, WORST)) console.log(`    ${describe(b)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
