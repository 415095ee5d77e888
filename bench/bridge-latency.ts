/**
 * Bridge latency while the desk syncs: does an operator's keystroke wait behind the store?
 * Run: npx tsx bench/bridge-latency.ts [changes=50000] [mutations=10000]
 *
 * The central API runs in its own process (server/src/main.ts, bundled, PGlite in a temporary
 * folder, or DATABASE_URL) seeded with `changes` demo exceptions. The desktop services are the
 * real ones (createAppServices, as the browser host builds them) on a real SQLite file in this
 * process, and every call goes through `router.dispatch`, the one path both IPC transports use.
 *
 * Phases, with bridge calls arriving all along at a human pace (one at a time, 20-50 ms after
 * the previous answer, in turn exception.get, checklist.save and queue.list):
 *   first sync: the sign-in starts a first sync of every exception (lead1 reads the whole feed);
 *   idle:       a few seconds with nothing to sync;
 *   queueing:   `mutations` notes written into the outbox by the bench (setup, 200 a transaction);
 *   push:       one sync cycle pushes them (1,000 a request) and pulls the changes they made;
 *   idle again.
 * A call's latency counts from the moment it "arrived" (its scheduled time), not from when the
 * event loop got round to it: an IPC message waits in the same queue. Target: p99 < 50 ms in
 * every phase.
 *
 * BENCH_PULL_PAGE sets the pull's page size (default: the app's).
 *
 * Seeding 50k exceptions on PGlite takes a minute or more: the seeded server folder is kept in
 * the temp folder (BENCH_SEED_DIR to choose it; delete it to seed again) and each run starts
 * from a copy of it.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createAppServices, type AppServices } from '../electron/services/app-services';
import { createMemorySecretStore } from '../electron/services/session/secret-store';
import { spawnServer, type ServerProcess } from '../scripts/server-processes';
import { probeLine } from './cpu-probe';
import { DEMO_PASSWORD } from '../server/src/demo/users';

const CHANGES = Number(process.argv[2] ?? 50_000);
const MUTATIONS = Number(process.argv[3] ?? 10_000);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 3_000);
/** Calls a measured phase needs for its p99 to mean something: the phase repeats until then. */
const MIN_CALLS = Number(process.env.BENCH_MIN_CALLS ?? 500);
/** At most this many runs of a phase (a first sync or a push) to collect MIN_CALLS. */
const MAX_RUNS = Number(process.env.BENCH_MAX_RUNS ?? 8);
const TARGET_P99_MS = 50;
const PASSWORD = DEMO_PASSWORD;
const USER = { username: 'lead1', id: 'user-lead1' } as const;

type Channel = 'exception.get' | 'checklist.save' | 'queue.list';
const CHANNELS: readonly Channel[] = ['exception.get', 'checklist.save', 'queue.list'];
type Phase = 'first sync' | 'reset (setup)' | 'idle' | 'queueing (setup)' | 'push' | 'idle again';
/** Phases whose calls are not held to the target: the bench's own setup work. */
const isSetup = (phase: Phase): boolean => phase.endsWith('(setup)');

interface Sample {
  phase: Phase;
  channel: Channel;
  ms: number;
  /** When it arrived, from the bench's start. */
  at: number;
  ok: boolean;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const f1 = (n: number): string => n.toFixed(1).padStart(7);

/**
 * The operator's side: one call at a time, each arriving 20-50 ms after the previous answer (a
 * keystroke's autosave, an Enter, a scroll). Its latency counts from that arrival, so a timer
 * held late by a busy event loop counts as waiting, as an IPC message would.
 */
function startOperator(app: AppServices, t0: number, phaseAt: (t: number) => Phase) {
  const samples: Sample[] = [];
  const ids: string[] = [];
  let total = 0;
  let stopped = false;
  let saves = 0;

  function input(channel: Channel): unknown {
    if (channel === 'queue.list') {
      // The grid asks for 200-row blocks as the operator scrolls: mostly the top, sometimes deep.
      const offset = total > 200 && Math.random() < 0.3 ? Math.floor(Math.random() * (total - 200)) : 0;
      return { statuses: [], sort: 'priority_sla', offset, limit: 200 };
    }
    const id = ids[Math.floor(Math.random() * ids.length)];
    if (channel === 'exception.get') return { id };
    saves += 1;
    return { exceptionId: id, answers: {}, activeMsDelta: 300, stepMsDelta: {} };
  }

  async function call(channel: Channel, arrivedAt: number): Promise<void> {
    const result = await app.router.dispatch(channel, input(channel));
    const ms = performance.now() - arrivedAt;
    // The phase it arrived in: a call that arrived during the sync but waited past its end
    // belongs to the sync.
    samples.push({ phase: phaseAt(arrivedAt), channel, ms, at: arrivedAt - t0, ok: result.ok });
    if (result.ok && channel === 'queue.list') {
      const page = result.value as { rows: { id: string }[]; total: number };
      total = page.total;
      for (const row of page.rows) if (ids.length < 5_000) ids.push(row.id);
    }
  }

  const done = (async () => {
    for (let turn = 0; !stopped; turn += 1) {
      const arrivedAt = performance.now() + 20 + Math.random() * 30;
      await sleep(arrivedAt - performance.now());
      // A timer may fire up to a millisecond early: a call never starts before it arrives (an
      // early start gave negative latencies, and p50s below zero).
      while (performance.now() < arrivedAt) await yieldToLoop();
      if (stopped) break;
      // Until the queue has rows, only the queue is asked (as the app does after sign-in).
      await call(
        ids.length === 0 ? 'queue.list' : (CHANNELS[turn % CHANNELS.length] ?? 'queue.list'),
        arrivedAt,
      );
    }
  })();
  return {
    samples,
    saves: () => saves,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

function report(samples: readonly Sample[], phases: readonly Phase[]): { met: boolean; p99s: string[] } {
  let met = true;
  const p99s: string[] = [];
  console.log(
    `\n${'phase'.padEnd(18)} ${'channel'.padEnd(15)} ${'count'.padStart(6)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'p99.9'.padStart(7)} ${'max'.padStart(7)}  (ms)`,
  );
  for (const phase of phases) {
    const inPhase = samples.filter((s) => s.phase === phase);
    for (const channel of [...CHANNELS, 'all' as const]) {
      const ms = inPhase
        .filter((s) => channel === 'all' || s.channel === channel)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      if (ms.length === 0) continue;
      const p99 = percentile(ms, 99);
      if (channel === 'all' && !isSetup(phase)) {
        if (p99 >= TARGET_P99_MS || ms.length < MIN_CALLS) met = false;
        p99s.push(`${phase} ${p99.toFixed(1)} ms over ${ms.length} calls`);
      }
      console.log(
        `${phase.padEnd(18)} ${channel.padEnd(15)} ${String(ms.length).padStart(6)} ${f1(percentile(ms, 50))} ${f1(percentile(ms, 95))} ${f1(p99)} ${f1(percentile(ms, 99.9))} ${f1(percentile(ms, 100))}`,
      );
    }
  }
  const failed = samples.filter((s) => !s.ok).length;
  if (failed > 0) console.log(`(${failed} calls answered an error envelope; timed all the same)`);
  const worst = [...samples].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(
    `worst calls: ${worst.map((s) => `${s.channel} ${s.ms.toFixed(0)} ms (${s.phase}, t=${seconds(s.at)})`).join('; ')}`,
  );
  return { met, p99s };
}

/** A PGlite folder holding the seeded demo set, copied from the kept one (seeded once). */
async function seededCopy(target: string): Promise<string> {
  const seedDir = process.env.BENCH_SEED_DIR ?? join(tmpdir(), `ledgerdesk-bench-bridge-seed-${CHANGES}`);
  const data = join(seedDir, 'data');
  const marker = join(seedDir, 'seeded');
  if (!existsSync(marker)) {
    console.log(`seeding ${CHANGES} demo exceptions on PGlite into ${seedDir} (once)...`);
    rmSync(seedDir, { recursive: true, force: true });
    const t = performance.now();
    const seeder = await spawnServer(
      { LEDGERDESK_SERVER_DATA: data, LEDGERDESK_DEMO: '1', LEDGERDESK_DEMO_COUNT: String(CHANGES) },
      900_000,
    );
    await seeder.stop();
    writeFileSync(marker, new Date().toISOString());
    console.log(`seeded in ${seconds(performance.now() - t)}`);
  } else console.log(`server data: a copy of ${seedDir} (delete it to seed again)`);
  cpSync(data, target, { recursive: true });
  return target;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-bench-bridge-'));
  let server: ServerProcess | null = null;
  let app: AppServices | null = null;
  try {
    console.log(`${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}`);
    console.log(probeLine('before'));
    let t = performance.now();
    server = await spawnServer(
      {
        ...(process.env.DATABASE_URL
          ? {}
          : { LEDGERDESK_SERVER_DATA: await seededCopy(join(dir, 'server')) }),
        LEDGERDESK_DEMO: '1',
        LEDGERDESK_DEMO_COUNT: String(CHANGES),
      },
      900_000,
    );
    console.log(`server up in ${seconds(performance.now() - t)}`);

    app = await createAppServices({
      dataDir: join(dir, 'desk'),
      secretStore: createMemorySecretStore(),
      mode: 'browser',
      defaultServerUrl: server.url,
      version: 'bench',
      // As packaged (NODE_ENV=production): answers are not re-validated against their schemas.
      validateOutput: false,
      syncIntervalMs: 3_600_000,
      serverEvents: false,
      // BENCH_PULL_PAGE: the pull's page size, to compare with the default.
      ...(process.env.BENCH_PULL_PAGE ? { pull: { pageSize: Number(process.env.BENCH_PULL_PAGE) } } : {}),
    });
    const desk = app;
    let phase: Phase = 'first sync';
    const t0 = performance.now();
    const phaseStarts: { at: number; phase: Phase }[] = [{ at: t0, phase }];
    const phaseAt = (at: number): Phase => phaseStarts.findLast((p) => p.at <= at)?.phase ?? 'first sync';
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    const delays = new Map<Phase, { p99: number; max: number }>();
    const enter = (next: Phase): void => {
      delays.set(phase, { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
      loopDelay.reset();
      phase = next;
      phaseStarts.push({ at: performance.now(), phase });
    };
    loopDelay.enable();

    // First sync: sign-in starts it; it is over when the engine first reports idle.
    const cpu0 = process.cpuUsage();
    const firstSyncDone = new Promise<number>((done) => {
      const off = desk.events.on('sync.status', (s) => {
        if (s.state === 'idle' && s.lastSyncAt) {
          off();
          done(performance.now());
        }
      });
    });
    t = performance.now();
    const signIn = await desk.router.dispatch('session.signIn', {
      username: USER.username,
      password: PASSWORD,
    });
    if (!signIn.ok) throw new Error(signIn.error.message);
    const operator = startOperator(desk, t0, phaseAt);
    const firstSyncMs = (await firstSyncDone) - t;
    const callsIn = (p: Phase): number => operator.samples.filter((x) => x.phase === p).length;
    const checkRows = (): void => {
      const rows = desk.store.exceptions.countAll();
      if (rows !== CHANGES) throw new Error(`first sync stored ${rows} of ${CHANGES}`);
    };
    checkRows();
    const firstSyncCpu = process.cpuUsage(cpu0);
    // One first sync answers too few calls for a p99: the store is emptied (as a sign-out does;
    // not measured) and synced again from nothing until the phase has MIN_CALLS calls.
    const firstSyncRuns = [firstSyncMs];
    while (callsIn('first sync') < MIN_CALLS && firstSyncRuns.length < MAX_RUNS) {
      enter('reset (setup)');
      desk.store.clearPulledData();
      await sleep(100);
      enter('first sync');
      const r = performance.now();
      await desk.sync.syncNow();
      firstSyncRuns.push(performance.now() - r);
      checkRows();
    }
    // The idle phases last until they have MIN_CALLS calls (and at least IDLE_MS).
    const idleFor = async (p: Phase): Promise<void> => {
      enter(p);
      const start = performance.now();
      while (performance.now() - start < IDLE_MS || callsIn(p) < MIN_CALLS) await sleep(250);
    };
    await idleFor('idle');

    // The operator's backlog: notes (a lead may note any item), written straight into the outbox
    // so the push below starts with all of them (an action through the bridge nudges a sync).
    // Queued and pushed again until the push phase has MIN_CALLS calls.
    const pushRuns: number[] = [];
    let pushMs = 0;
    let cycleMs = 0;
    let pushCpu: NodeJS.CpuUsage = { user: 0, system: 0 };
    while (pushRuns.length === 0 || (callsIn('push') < MIN_CALLS && pushRuns.length < MAX_RUNS)) {
      enter('queueing (setup)');
      const ids = desk.store.exceptions
        .page({ sort: 'priority_sla', offset: 0, limit: MUTATIONS })
        .rows.map((r) => r.id);
      const text = 'Partner confirmed the credit on the next statement; matching invoice attached. '.repeat(
        3,
      );
      for (let i = 0; i < MUTATIONS; i += 200) {
        desk.store.transaction(() => {
          for (let k = i; k < Math.min(MUTATIONS, i + 200); k += 1) {
            const at = new Date();
            desk.store.outbox.enqueue({
              mutationId: crypto.randomUUID(),
              userId: USER.id,
              occurredAt: at.toISOString(),
              body: { kind: 'exception.note', exceptionId: ids[k % ids.length] ?? '', text: `${k}: ${text}` },
              now: at.getTime(),
            });
          }
        });
        await yieldToLoop();
      }

      enter('push');
      const pushCpu0 = process.cpuUsage();
      let drainedAt = 0;
      const offDrained = desk.events.on('sync.status', (s) => {
        if (s.pending === 0 && drainedAt === 0) drainedAt = performance.now();
      });
      t = performance.now();
      await desk.sync.syncNow();
      cycleMs = performance.now() - t;
      offDrained();
      pushMs = (drainedAt || performance.now()) - t;
      pushRuns.push(pushMs);
      pushCpu = process.cpuUsage(pushCpu0);
      const status = desk.sync.status();
      if (status.pending !== 0 || status.failed !== 0)
        throw new Error(`push incomplete: ${JSON.stringify(status)}`);
    }

    await idleFor('idle again');
    await operator.stop();
    delays.set(phase, { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
    loopDelay.disable();

    const cpuSeconds = (c: NodeJS.CpuUsage): string => seconds((c.user + c.system) / 1000);
    console.log(
      `\nfirst sync: ${CHANGES} exceptions in ${seconds(firstSyncMs)} (sign-in to the engine idle; desk CPU ${cpuSeconds(firstSyncCpu)}); ${firstSyncRuns.length} runs: ${firstSyncRuns.map(seconds).join(', ')}`,
    );
    console.log(
      `push (last of ${pushRuns.length} runs: ${pushRuns.map(seconds).join(', ')}): ${MUTATIONS} notes acknowledged in ${seconds(pushMs)}; the whole cycle (with the pull of the changes they made) ${seconds(cycleMs)}; desk CPU ${cpuSeconds(pushCpu)}`,
    );
    console.log(`checklist saves made: ${operator.saves()}`);
    const phases: Phase[] = ['first sync', 'reset (setup)', 'idle', 'queueing (setup)', 'push', 'idle again'];
    const { met, p99s } = report(operator.samples, phases);
    console.log(
      `event-loop delay (monitorEventLoopDelay): ${phases
        .map((p) => `${p} p99 ${delays.get(p)?.p99.toFixed(0)} / max ${delays.get(p)?.max.toFixed(0)} ms`)
        .join('; ')}`,
    );
    console.log(probeLine('after'));
    console.log(
      `\nsummary: ${met ? 'TARGET MET' : 'TARGET NOT MET'}: ${met ? 'every' : 'not every'} measured phase had bridge p99 < ${TARGET_P99_MS} ms over >= ${MIN_CALLS} calls (${p99s.join('; ')}) (on this machine, now; see the cpu probe)`,
    );
  } finally {
    await app?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
