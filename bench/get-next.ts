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
 * Environment: DATABASE_URL to use an existing server instead of a throwaway cluster;
 * BENCH_PHASE_MS (per phase), BENCH_OPERATORS, BENCH_OPEN, BENCH_PACES (mean ms per item,
 * comma separated) to change the load.
 */
import { Agent, request } from 'node:http';
import { migrate } from '../server/src/db/migrate';
import { openDatabase } from '../server/src/db/open';
import { mintTokens, seedLoadFixtures } from '../scripts/load-fixtures';
import { startPostgresCluster, type PostgresCluster } from '../scripts/postgres-cluster';
import { spawnServer, type ServerProcess } from '../scripts/server-processes';

const OPERATORS = Number(process.env.BENCH_OPERATORS ?? 200);
const OPEN = Number(process.env.BENCH_OPEN ?? 20_000);
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 30_000);
const PACES_MS = (process.env.BENCH_PACES ?? '20000,5000,2000,1000').split(',').map(Number);
const SERVERS = 2;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-0123456789';

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

function post(url: string, token: string, body: string): Promise<{ status: number; text: string }> {
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
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
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
    cluster = await startPostgresCluster({ durable: true });
    if (!cluster) throw new Error('no PostgreSQL: set DATABASE_URL or install the postgresql package');
    url = cluster.url;
  }
  const servers: ServerProcess[] = [];
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
    for (let i = 0; i < SERVERS; i++) servers.push(await spawnServer(env));
    console.log(
      `servers: ${servers.map((s) => s.url).join(', ')}; fsync ${cluster ? 'on' : 'as configured'}`,
    );

    // Not measured: each operator's first call (a shift is hours long; a fresh process's first
    // requests and each operator's first token verification are start-up, not the steady state).
    await Promise.all(
      fixtures.operators.map(async (op, i) => {
        await sleep(Math.random() * 5000);
        await post(`${servers[i % SERVERS]?.url}/api/work/next`, tokens.get(op.id) ?? '', '{"count":1}');
      }),
    );

    const phase = async (paceMs: number): Promise<void> => {
      const latencies: number[] = [];
      let errors = 0;
      let empty = 0;
      const work = (): number => paceMs * (0.5 + Math.random());
      // At least three items per operator, so a slow pace still gives a few hundred calls.
      const phaseMs = Math.max(PHASE_MS, 3 * paceMs);
      const deadline = Date.now() + phaseMs;
      await Promise.all(
        fixtures.operators.map(async (op, i) => {
          const server = servers[i % SERVERS];
          const token = tokens.get(op.id);
          if (!server || !token) throw new Error('setup');
          await sleep(Math.random() * paceMs);
          while (Date.now() < deadline) {
            const start = performance.now();
            const res = await post(`${server.url}/api/work/next`, token, '{"count":1}');
            const elapsed = performance.now() - start;
            if (res.status !== 200) errors += 1;
            else {
              latencies.push(elapsed);
              // The answer's schema is checked by the tests; here only whether an item came back.
              if (res.text.startsWith('{"items":[]')) empty += 1;
            }
            await sleep(work());
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      const rate = latencies.length / (phaseMs / 1000);
      const p99 = percentile(latencies, 99);
      console.log(
        `${OPERATORS} operators, an item every ${(paceMs / 1000).toFixed(0)} s each: ${latencies.length} calls ` +
          `(${rate.toFixed(0)}/s), ${errors} errors, ${empty} empty; p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
          `p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms` +
          `  [p99 < 25 ms: ${p99 < 25 ? 'met' : 'NOT met'}]`,
      );
    };
    for (const pace of PACES_MS) await phase(pace);
    await db.close();
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
