import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import {
  DEMO_PASSWORD,
  LEAD1,
  OPERATOR1,
  startSyncServer,
  stopSyncClusters,
  type SyncServer,
} from './sync-server';
import { call, ok } from './typed-dispatch';

let server: SyncServer;
const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-kpis-'));
let dirs = 0;
const ADMIN1 = { username: 'admin1', password: DEMO_PASSWORD } as const;

beforeAll(async () => {
  server = await startSyncServer({ demoCount: 300 });
});
afterAll(async () => {
  await server?.close();
  await stopSyncClusters();
  rmSync(dir, { recursive: true, force: true });
});

async function signedInApp(who: { username: string; password: string }): Promise<AppServices> {
  dirs += 1;
  const app = await createAppServices({
    dataDir: join(dir, `client-${dirs}`),
    secretStore: createMemorySecretStore(),
    mode: 'browser',
    defaultServerUrl: server.url,
    version: 'test',
    validateOutput: true,
    syncIntervalMs: 600_000,
    serverEvents: false,
    requestTimeoutMs: 5_000,
  });
  ok(await call(app.router, 'work.updateSettings', { prefetchCount: 0 }));
  ok(await call(app.router, 'session.signIn', who));
  await app.start();
  ok(await call(app.router, 'sync.now', {}));
  return app;
}

describe('the dashboard, My numbers and the close through the bridge, against the real central API', () => {
  it("drills from a lead's figure to the same items in the local queue", async () => {
    const lead = await signedInApp(LEAD1);
    const report = ok(await call(lead.router, 'kpis.report', {}));
    expect(report.backlog.total).toBeGreaterThan(0);
    const drill = ok(await call(lead.router, 'kpis.drill', { filter: report.backlog.drill }));
    expect(drill.total).toBe(report.backlog.total);
    const page = ok(await call(lead.router, 'queue.list', { ids: drill.ids, limit: 500 }));
    expect(page.total).toBe(drill.ids.length);
    expect(page.rows.every((r) => drill.ids.includes(r.id))).toBe(true);
    await lead.close();
  });

  it('gives an operator their own day, and refuses them the lead dashboard', async () => {
    const operator = await signedInApp(OPERATOR1);
    const mine = ok(await call(operator.router, 'kpis.me', {}));
    expect(mine.day).toBe(new Date().toISOString().slice(0, 10));
    const refused = await call(operator.router, 'kpis.report', {});
    expect(refused.ok ? 'ok' : refused.error.code).toBe('unauthorized');
    await operator.close();
  });

  it('says why a sign-off is refused, needs a second person to review, and reopens with a reason', async () => {
    const lead = await signedInApp(LEAD1);
    // The month of an open demo item: with no materiality set, every unfinished amount blocks.
    const [open] = await server.db.query<{ period: string }>(
      `SELECT to_char(period_start, 'YYYY-MM') AS period FROM exceptions WHERE status = 'open' ORDER BY id LIMIT 1`,
    );
    const readiness = ok(await call(lead.router, 'close.readiness', { period: open?.period ?? '' }));
    expect(readiness.blockingTotal).toBeGreaterThan(0);
    const refused = await call(lead.router, 'close.signOff', { period: readiness.period, as: 'preparer' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('conflict');
    expect(refused.ok ? '' : refused.error.message).toContain('cannot be signed off');
    // A month with no items, feeds or sign-offs: nothing blocks it.
    const period = '2031-03';
    expect(ok(await call(lead.router, 'close.signOff', { period, as: 'preparer' })).state).toBe('prepared');
    const self = await call(lead.router, 'close.signOff', { period, as: 'reviewer' });
    expect(self.ok ? 'ok' : self.error.message).toContain('another person must review it');
    const admin = await signedInApp(ADMIN1);
    expect(ok(await call(admin.router, 'close.signOff', { period, as: 'reviewer' })).state).toBe('locked');
    const reopened = ok(await call(lead.router, 'close.reopen', { period, reason: 'a late partner feed' }));
    expect(reopened).toMatchObject({ state: 'open', preparer: null, reviewer: null });
    await lead.close();
    await admin.close();
  });
});
