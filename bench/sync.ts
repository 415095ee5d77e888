/**
 * Sync benchmark, end to end on real processes: the central API (server/src/main.ts, its own
 * process) on a real PostgreSQL cluster, and the desktop services (store, session, sync engine)
 * in this process.
 *
 *   push: an operator's 10k results, already in the outbox, pushed through the real engine until
 *         the server has acknowledged every one (target >= 2,000 results/s);
 *   pull: a fresh store pulls a 50k-change feed into SQLite (target >= 20,000 rows/s), timed from
 *         the first pull request to the last page committed (sign-in before it printed apart);
 *
 * Run: npx tsx bench/sync.ts [results=10000] [changes=50000]
 * PostgreSQL: a cluster from scripts/postgres-cluster.ts started `durable` (fsync=on,
 * synchronous_commit=on, as in production), so every acknowledged push batch is on disk; the
 * bench prints the settings it ran under.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { MAX_PUSH_BATCH } from '@shared/sync/mutations';
import { probeLine } from './cpu-probe';
import { startPostgresCluster, type PostgresCluster } from '../scripts/postgres-cluster';
import { createAppServices, type AppServices } from '../electron/services/app-services';
import { createMemorySecretStore } from '../electron/services/session/secret-store';
import type { Resolution } from '@shared/resolution';
import type { SopModule } from '@shared/sop/module';
import { fillChecklist } from '../test/support/desktop-checklist';
import { MONEY_ACTIONS, PLAIN_ACTIONS } from '../test/support/sop-solver';
import { DEMO_PASSWORD } from '../server/src/demo/users';

const RESULTS = Number(process.argv[2] ?? 10_000);
const CHANGES = Number(process.argv[3] ?? 50_000);
const root = resolve(import.meta.dirname, '..');
const PASSWORD = DEMO_PASSWORD;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')}/s`;

async function createDatabase(cluster: PostgresCluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/** What the cluster really runs with (printed with the figures). */
async function durability(cluster: PostgresCluster): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const fsync = await admin.query<{ fsync: string }>('SHOW fsync');
  const sc = await admin.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
  await admin.end();
  return `fsync=${fsync.rows[0]?.fsync}, synchronous_commit=${sc.rows[0]?.synchronous_commit}`;
}

/** Time spent waiting on HTTP calls to one path: request sent until the body has arrived. */
interface HttpTimer {
  fetch: typeof fetch;
  waitedMs(path: string): number;
  calls(path: string): number;
  /** When the first request to `path` left (performance.now()); NaN if none did. */
  firstSentAt(path: string): number;
}
function httpTimer(): HttpTimer {
  const waited = new Map<string, number>();
  const counts = new Map<string, number>();
  const first = new Map<string, number>();
  return {
    async fetch(input, init) {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const t = performance.now();
      if (!first.has(url.pathname)) first.set(url.pathname, t);
      const response = await fetch(input, init);
      // Buffer the body here so the wait includes the transfer, not the client's parsing.
      const body = await response.arrayBuffer();
      waited.set(url.pathname, (waited.get(url.pathname) ?? 0) + performance.now() - t);
      counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
    waitedMs: (path) => waited.get(path) ?? 0,
    calls: (path) => counts.get(path) ?? 0,
    firstSentAt: (path) => first.get(path) ?? Number.NaN,
  };
}

interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** CPU seconds the server process has used so far (Linux /proc; NaN elsewhere). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

function processCpuSeconds(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat: utime and stime in clock ticks (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The real server CLI in its own process, seeding `demoCount` demo exceptions. */
function startServerProcess(
  databaseUrl: string,
  demoCount: number,
  maxLeases: number,
): Promise<ServerProcess> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_URL: databaseUrl,
        LEDGERDESK_DEMO: '1',
        LEDGERDESK_DEMO_COUNT: String(demoCount),
        LEDGERDESK_MAX_LEASES: String(maxLeases),
        LEDGERDESK_DB_POOL: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        done({
          url: m[1],
          child,
          cpuSeconds: () => processCpuSeconds(child.pid),
          stop: () =>
            new Promise<void>((stopped) => {
              child.once('exit', () => stopped());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}): ${err}`)));
  });
}

async function client(
  dataDir: string,
  serverUrl: string,
  prefetch: { count: number },
  timer: HttpTimer,
): Promise<AppServices> {
  return createAppServices({
    fetch: timer.fetch,
    dataDir,
    secretStore: createMemorySecretStore(),
    mode: 'browser',
    defaultServerUrl: serverUrl,
    version: 'bench',
    validateOutput: false,
    syncIntervalMs: 3_600_000,
    serverEvents: false,
    leases: { prefetchCount: () => prefetch.count },
    pull: { pageSize: 5_000, maxPagesPerCycle: 10_000 },
  });
}

/**
 * The operator's checklist for result i, answered with the SOP module the desktop synced and
 * autosaved: every other result moves money where the item's SOP offers it (`i % 1000` plus a
 * ten-decimal tail), the rest finish the item without money where it can.
 */
function answerChecklist(
  app: AppServices,
  modules: readonly SopModule[],
  userId: string,
  exceptionId: string,
  i: number,
): Resolution {
  const money = {
    modules,
    prefer: { actions: MONEY_ACTIONS },
    amount: `${i % 1000}.0000000001`,
    note: `bench result ${i}`,
  };
  const plain = {
    modules,
    prefer: { actions: [...PLAIN_ACTIONS, ...MONEY_ACTIONS] },
    note: `bench result ${i}`,
  };
  try {
    return fillChecklist(app.store, userId, exceptionId, i % 2 === 0 ? money : plain).resolution;
  } catch {
    // The item's SOP offers no such result on any path: whatever it does offer.
    return fillChecklist(app.store, userId, exceptionId, { modules, note: `bench result ${i}` }).resolution;
  }
}

async function benchPush(cluster: PostgresCluster, dir: string): Promise<number> {
  const demo = Math.ceil((RESULTS + 400) / 0.68);
  console.log(`\n[push] seeding ${demo} demo exceptions on PostgreSQL (server process)...`);
  const server = await startServerProcess(await createDatabase(cluster, 'bench_push'), demo, RESULTS + 1000);
  try {
    const prefetch = { count: RESULTS };
    const timer = httpTimer();
    const app = await client(join(dir, 'push'), server.url, prefetch, timer);
    const signIn = await app.router.dispatch('session.signIn', { username: 'operator1', password: PASSWORD });
    if (!signIn.ok) throw new Error(signIn.error.message);
    let t = performance.now();
    await app.sync.syncNow();
    const userId = 'user-operator1';
    const leased = app.store.leases.countActive(userId);
    console.log(
      `[push] prefetched ${leased} leases in ${seconds(performance.now() - t)} (get-next, 200 per call)`,
    );
    if (leased < RESULTS) throw new Error(`only ${leased} items leased`);
    prefetch.count = 0;

    // The operator's work: one durable SQLite transaction per result (change + outbox row), as
    // before checklists. Answering and autosaving the checklist (the test solver, one more
    // transaction) is timed apart, so the figure stays comparable.
    t = performance.now();
    let solvingMs = 0;
    const modules = app.store.sops.all();
    for (let i = 0; i < RESULTS; i += 1) {
      const { item } = app.work.next(userId);
      if (!item) throw new Error('queue ran dry');
      const s = performance.now();
      const resolution = answerChecklist(app, modules, userId, item.exception.id, i);
      solvingMs += performance.now() - s;
      app.work.resolve(userId, item.exception.id, resolution);
      // An operator leaves the event loop free between answers (keep-alive sockets expire on time).
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    const localMs = performance.now() - t - solvingMs;
    console.log(
      `[push] ${RESULTS} results recorded locally in ${seconds(localMs)} (${rate(RESULTS, localMs)}, synchronous=FULL; checklists answered and autosaved in ${seconds(solvingMs)} more)`,
    );

    // Push: from the first request until the server has acknowledged the last result.
    let drainedAt = 0;
    const off = app.events.on('sync.status', (s) => {
      if (s.pending === 0 && drainedAt === 0) drainedAt = performance.now();
    });
    const cpu0 = process.cpuUsage();
    const waited0 = timer.waitedMs('/api/sync/push');
    const serverCpu0 = server.cpuSeconds();
    t = performance.now();
    await app.sync.syncNow();
    const cycleMs = performance.now() - t;
    off();
    const pushMs = (drainedAt || performance.now()) - t;
    const serverCpu = server.cpuSeconds() - serverCpu0;
    const cpu = process.cpuUsage(cpu0);
    const status = app.sync.status();
    if (status.pending !== 0 || status.failed !== 0)
      throw new Error(`push incomplete: ${JSON.stringify(status)}`);
    console.log(
      `[push] ${RESULTS} results pushed and acknowledged in ${seconds(pushMs)}: ${rate(RESULTS, pushMs)}  [target >= 2,000/s]`,
    );
    console.log(
      `  waiting on POST /api/sync/push (${timer.calls('/api/sync/push')} requests of <= ${MAX_PUSH_BATCH}): ${seconds(timer.waitedMs('/api/sync/push') - waited0)}; ` +
        `client CPU ${seconds((cpu.user + cpu.system) / 1000)}; server process CPU ${serverCpu.toFixed(2)} s; whole cycle incl. the pull of the resulting changes ${seconds(cycleMs)}`,
    );
    await app.close();
    return RESULTS / (pushMs / 1000);
  } finally {
    await server.stop();
  }
}

async function benchPull(cluster: PostgresCluster, dir: string): Promise<number> {
  console.log(`\n[pull] seeding ${CHANGES} demo exceptions (one feed change each) on PostgreSQL...`);
  const server = await startServerProcess(await createDatabase(cluster, 'bench_pull'), CHANGES, 400);
  try {
    const app = await client(join(dir, 'pull'), server.url, { count: 0 }, httpTimer());
    const signIn = await app.router.dispatch('session.signIn', { username: 'lead1', password: PASSWORD });
    if (!signIn.ok) throw new Error(signIn.error.message);
    // The sign-in already started a cycle; wait for it, then measure a fresh store's pull.
    await app.sync.syncNow();
    await app.close();
    rmSync(join(dir, 'pull'), { recursive: true, force: true });

    const timer = httpTimer();
    const serverCpu0 = server.cpuSeconds();
    const fresh = await client(join(dir, 'pull2'), server.url, { count: 0 }, timer);
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    const signed = await fresh.router.dispatch('session.signIn', { username: 'lead1', password: PASSWORD });
    if (!signed.ok) throw new Error(signed.error.message);
    await fresh.sync.syncNow();
    const end = performance.now();
    const ms = end - t;
    // The pull itself: from its first request to the last page committed (and the cycle done).
    const pullMs = end - timer.firstSentAt('/api/sync/pull');
    const cpu = process.cpuUsage(cpu0);
    const serverCpu = server.cpuSeconds() - serverCpu0;
    const rows = fresh.store.exceptions.countAll();
    if (rows !== CHANGES) throw new Error(`pulled ${rows} of ${CHANGES}`);
    console.log(
      `[pull] ${rows} changes into a fresh SQLite store in ${seconds(pullMs)}: ${rate(rows, pullMs)}  [target >= 20,000/s]`,
    );
    console.log(
      `  with the sign-in and the SOP modules before it: ${seconds(ms)} (${rate(rows, ms)}); ${timer.calls('/api/sync/pull')} pages of <= 5,000, each one SQLite transaction, the next page requested before the current one is written`,
    );
    console.log(
      `  waiting on GET /api/sync/pull (server + transfer, overlapping the client's work): ${seconds(timer.waitedMs('/api/sync/pull'))}; client CPU ${seconds((cpu.user + cpu.system) / 1000)}; server process CPU ${serverCpu.toFixed(2)} s`,
    );
    await fresh.close();
    return rows / (pullMs / 1000);
  } finally {
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-bench-sync-'));
const cluster = await startPostgresCluster({ durable: true });
if (!cluster) {
  console.error(
    'PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): this bench needs a real PostgreSQL.',
  );
  process.exit(1);
}
try {
  console.log(
    `PostgreSQL: ${await durability(cluster)}; ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}`,
  );
  console.log(probeLine('before'));
  const push = RESULTS > 0 ? await benchPush(cluster, dir) : Number.NaN;
  const pull = await benchPull(cluster, dir);
  console.log(probeLine('after'));
  console.log(
    `\nsummary: push ${Math.round(push)} results/s (target 2000) ${push >= 2000 ? 'OK' : 'BELOW'}; ` +
      `pull ${Math.round(pull)} rows/s (target 20000) ${pull >= 20_000 ? 'OK' : 'BELOW'}`,
  );
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
