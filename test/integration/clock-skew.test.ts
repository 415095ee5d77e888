import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createClockSkew } from '../../electron/services/sync/clock-skew';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import { OPERATOR1, startSyncServer, stopSyncClusters, type SyncServer } from './sync-server';
import { call, ok } from './typed-dispatch';
import { tempDir } from '../support/temp-dir';

/**
 * Issue 10 item 15: a computer whose clock is far from the server's is told so (the status bar
 * names the clock), from the time the server states on every answer, not left to guess from
 * odd sync failures.
 */
const tmp = tempDir('clock');
const dir = tmp.dir;
let server: SyncServer;
const apps: AppServices[] = [];

beforeAll(async () => {
  server = await startSyncServer({ demoCount: 40 });
}, 180_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await server?.close();
  await stopSyncClusters();
  tmp.remove();
});

async function deskWithClock(name: string, offsetMs: number): Promise<AppServices> {
  const app = await createAppServices({
    dataDir: join(dir, name),
    secretStore: createMemorySecretStore(),
    mode: 'browser',
    defaultServerUrl: server.url,
    version: 'test',
    syncIntervalMs: 600_000,
    serverEvents: false,
    now: () => new Date(Date.now() + offsetMs),
  });
  apps.push(app);
  await app.start();
  ok(await call(app.router, 'session.signIn', OPERATOR1));
  return app;
}

describe('device clock against the server clock', () => {
  it('names a clock 30 minutes slow in the sync status, with how far off it is', async () => {
    const app = await deskWithClock('slow', -30 * 60_000);
    const status = ok(await call(app.router, 'sync.now', {}));
    expect(status.clockSkewMs).not.toBeNull();
    // The server is ahead of this computer by 30 minutes (the Date header has 1 s resolution).
    expect(Math.abs((status.clockSkewMs ?? 0) - 30 * 60_000)).toBeLessThan(5_000);
  });

  it('says nothing about a clock within a minute of the server', async () => {
    const app = await deskWithClock('fine', 20_000);
    expect(ok(await call(app.router, 'sync.now', {})).clockSkewMs).toBeNull();
  });

  it('clears the warning once the clock is fixed, at the next answer', () => {
    let offset = 3 * 3_600_000;
    const changes: (number | null)[] = [];
    const clock = createClockSkew({
      now: () => new Date(Date.now() + offset),
      onChange: (skew) => changes.push(skew),
    });
    clock.observe(Date.now());
    expect(clock.skewMs()).toBeLessThan(-3 * 3_600_000 + 1_000);
    offset = 0;
    clock.observe(Date.now());
    expect(clock.skewMs()).toBeNull();
    expect(changes).toHaveLength(2);
  });
});
