import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../electron/services/app-services';
import { createFileSecretStore } from '../../electron/services/session/secret-store';
import { openLocalStore } from '../../electron/services/store/local-store';
import { OPERATOR1, startSyncServer, stopSyncClusters, type SyncServer } from './sync-server';
import { call, ok } from './typed-dispatch';
import { tempDir } from '../support/temp-dir';

/**
 * Acceptance 3: a client killed with SIGKILL at 50+ random points during push, restarted each
 * time, still delivers every result to the server exactly once and ends with an empty outbox.
 */
const RESULTS = 400;
const BATCH = 3;
const KILLS = 55;
const root = resolve(__dirname, '../..');
const fixture = resolve(__dirname, 'fixtures/push-client.ts');
const tmp = tempDir('push-crash');
const dir = tmp.dir;
const dataDir = join(dir, 'client');

let server: SyncServer;
/** The child, bundled once (starts in about a third of the time tsx needs), or tsx as a fallback. */
let childArgs: string[];

beforeAll(async () => {
  server = await startSyncServer({ demoCount: 800, config: { maxLeasesPerOperator: 1000 } });
  try {
    const { build } = await import('esbuild');
    const out = join(root, 'node_modules/.cache/ledgerdesk-tests', `push-client-${process.pid}.mjs`);
    mkdirSync(join(root, 'node_modules/.cache/ledgerdesk-tests'), { recursive: true });
    await build({
      entryPoints: [fixture],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: out,
      logLevel: 'silent',
    });
    childArgs = [out];
  } catch {
    childArgs = ['--import', 'tsx', fixture];
  }

  // Sign in once and lease the work up front, as an operator starting a shift would.
  const app = await createAppServices({
    dataDir,
    secretStore: createFileSecretStore(join(dataDir, 'secrets.json')),
    mode: 'browser',
    defaultServerUrl: server.url,
    version: 'test',
    serverEvents: false,
    leases: { prefetchCount: () => RESULTS },
  });
  ok(await call(app.router, 'session.signIn', OPERATOR1));
  expect(ok(await call(app.router, 'sync.now', {}))).toMatchObject({ state: 'idle', lastError: null });
  expect(ok(await call(app.router, 'work.leases', {})).held).toHaveLength(RESULTS);
  await app.close();
});

afterAll(async () => {
  await server?.close();
  await stopSyncClusters();
  if (childArgs?.[0]?.endsWith('.mjs')) rmSync(childArgs[0], { force: true });
  tmp.remove();
});

interface Run {
  made: string[];
  pushes: number;
  duplicates: number;
  killed: boolean;
  drained: boolean;
}

/** Runs the client; with `killDelayMs`, SIGKILLs it that long after its first push request leaves. */
function runClient(killDelayMs: number | null): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...childArgs, dataDir, server.url, String(BATCH)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { made: [], pushes: 0, duplicates: 0, killed: false, drained: false };
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('made ')) run.made.push(line.slice(5));
        else if (line === 'drained') run.drained = true;
        else if (line.startsWith('duplicates ')) run.duplicates += Number(line.slice(11));
        else if (line === 'push') {
          run.pushes += 1;
          if (run.pushes === 1 && killDelayMs !== null) {
            setTimeout(() => {
              run.killed = child.kill('SIGKILL');
            }, killDelayMs);
          }
        }
      }
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || (code === 0 && run.drained)) done(run);
      else fail(new Error(`client exited (${signal ?? code}): ${stderr}`));
    });
  });
}

describe('push survives the client being killed mid-push', () => {
  it(`delivers every result exactly once across ${KILLS} SIGKILLs and restarts`, async () => {
    const made = new Set<string>();
    let kills = 0;
    let pushes = 0;
    let duplicates = 0;
    while (kills < KILLS) {
      // Anywhere from before the request is written to after its answer is being recorded.
      const run = await runClient(Math.floor(Math.random() * 25));
      for (const m of run.made) made.add(m);
      pushes += run.pushes;
      duplicates += run.duplicates;
      if (run.killed && run.pushes > 0) kills += 1;
      if (run.drained) break;
    }
    const last = await runClient(null);
    for (const m of last.made) made.add(m);
    duplicates += last.duplicates;
    expect(last.drained).toBe(true);
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    // Some kills landed after the server committed a batch and before the client recorded the
    // answer: the resend was answered `duplicate` and applied nothing twice (checked below).
    expect(duplicates).toBeGreaterThan(0);

    // The client: nothing waiting, nothing failed, no conflicts.
    const store = openLocalStore(join(dataDir, 'ledgerdesk.sqlite'));
    const clientId = store.clientId();
    const user = 'user-operator1';
    expect(store.outbox.counts(user)).toEqual({ pending: 0, failed: 0, rejected: 0 });
    expect(store.outbox.list(user, 0, 10).total).toBe(0);
    expect(store.conflicts.count(user)).toBe(0);
    store.close();

    // The server: one applied mutation per result, each exception resolved once.
    const mutations = await server.db.query<{ mutation_id: string; outcome: string; exception_id: string }>(
      `SELECT mutation_id, outcome, exception_id FROM sync_mutations WHERE client_id = $1`,
      [clientId],
    );
    expect(mutations).toHaveLength(RESULTS);
    expect(mutations.every((m) => m.outcome === 'applied')).toBe(true);
    const onServer = new Set(mutations.map((m) => m.mutation_id));
    // Every result the client reported as made is there (a kill between commit and report hides a few ids, not results).
    expect([...made].filter((m) => !onServer.has(m))).toEqual([]);
    const resolutions = await server.db.query<{ exception_id: string; n: string }>(
      `SELECT exception_id, count(*) AS n FROM exception_resolutions WHERE client_id = $1 GROUP BY exception_id`,
      [clientId],
    );
    expect(resolutions).toHaveLength(RESULTS);
    expect(resolutions.every((r) => r.n === '1')).toBe(true);
    const audit = await server.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'mutation.applied' AND details->>'clientId' = $1`,
      [clientId],
    );
    expect(audit[0]?.n).toBe(String(RESULTS));
    console.log(
      `[push-crash] ${kills} kills, ${pushes} push requests started, ${duplicates} duplicate answers to resends, ${RESULTS} results, backend ${server.backend}`,
    );
  }, 240_000);
});
