import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createEventBus } from '../../electron/services/bridge/event-bus';
import { createMemorySecretStore, type SecretStore } from '../../electron/services/session/secret-store';
import { createSessionService, REFRESH_TOKEN_SECRET } from '../../electron/services/session/session';
import { createSyncEngine } from '../../electron/services/sync/sync-engine';
import { createPullStep } from '../../electron/services/sync/sync-pull';
import { DEFERRED_INDEXES_KEY, openLocalStore } from '../../electron/services/store/local-store';
import type { EventName } from '@shared/ipc/channels';
import { DEMO_COUNT, LEAD, OPERATOR, startDemoServer } from './real-server';
import { call, ok } from './typed-dispatch';
import { tempDir } from '../support/temp-dir';

let server: Awaited<ReturnType<typeof startDemoServer>>;
const tmp = tempDir('sync');
const dir = tmp.dir;

beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

async function services(
  dataDir: string,
  secretStore: SecretStore,
  serverUrl = server.url,
): Promise<AppServices> {
  return createAppServices({
    dataDir,
    secretStore,
    mode: 'browser',
    defaultServerUrl: serverUrl,
    version: 'test',
    validateOutput: true,
  });
}

describe('sync engine against the real central API', () => {
  it('signs in, pulls the whole feed, and serves the queue from the local store', async () => {
    const secrets = createMemorySecretStore();
    const app = await services(join(dir, 'a'), secrets);
    const seen: EventName[] = [];
    app.subscribe((event) => seen.push(event));
    await app.start();

    const session = ok(await call(app.router, 'session.signIn', LEAD));
    expect(session.user.username).toBe('lead1');
    expect(session.serverUrl).toBe(server.url);
    expect(secrets.get(REFRESH_TOKEN_SECRET)).toBeTruthy();

    const status = ok(await call(app.router, 'sync.now', {}));
    expect(status).toMatchObject({
      online: true,
      state: 'idle',
      localExceptions: DEMO_COUNT,
      pending: 0,
      lastError: null,
    });
    expect(status.lastSyncAt).not.toBeNull();
    expect(seen).toContain('queue.changed');
    expect(seen).toContain('sync.status');

    const page = ok(await call(app.router, 'queue.list', { statuses: ['open'], limit: 10 }));
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.status === 'open')).toBe(true);
    const counts = ok(await call(app.router, 'queue.counts', {}));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(DEMO_COUNT);

    // The feed carries no evidence: the local copy has none until the item is opened online.
    const id = page.rows[0]!.id;
    expect(ok(await call(app.router, 'exception.get', { id })).evidence).toBeNull();
    const fetched = ok(await call(app.router, 'exception.evidence', { id }));
    expect(fetched.evidence.length).toBeGreaterThan(0);
    // Kept from then on: the same rows come from the local store, also offline.
    expect(ok(await call(app.router, 'exception.get', { id })).evidence).toEqual(fetched.evidence);
    expect(await call(app.router, 'exception.get', { id: 'EX-99999999' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await app.close();
  });

  it('restores the session after a restart and keeps syncing with the stored refresh token', async () => {
    const secrets = createMemorySecretStore();
    const dataDir = join(dir, 'b');
    const first = await services(dataDir, secrets);
    ok(await call(first.router, 'session.signIn', LEAD));
    await first.close();

    const second = await services(dataDir, secrets);
    await second.start();
    const restored = ok(await call(second.router, 'session.current', {}));
    expect(restored?.user.username).toBe('lead1');
    const status = ok(await call(second.router, 'sync.now', {}));
    expect(status).toMatchObject({ state: 'idle', online: true, localExceptions: DEMO_COUNT });
    await second.close();
  });

  it('pulls only what the server lets an operator read', async () => {
    const app = await services(join(dir, 'op'), createMemorySecretStore());
    ok(await call(app.router, 'session.signIn', OPERATOR));
    const status = ok(await call(app.router, 'sync.now', {}));
    expect(status.state).toBe('idle');
    expect(status.localExceptions).toBeGreaterThan(0);
    expect(status.localExceptions).toBeLessThan(DEMO_COUNT);
    const page = ok(await call(app.router, 'queue.list', { limit: 500 }));
    expect(page.total).toBe(status.localExceptions);
    expect(page.rows.every((r) => r.assigneeId === 'user-operator1')).toBe(true);
    await app.close();
  });

  it('signs out: no session, no token, no local queue', async () => {
    const secrets = createMemorySecretStore();
    const app = await services(join(dir, 'c'), secrets);
    ok(await call(app.router, 'session.signIn', OPERATOR));
    ok(await call(app.router, 'sync.now', {}));
    expect(ok(await call(app.router, 'session.signOut', {}))).toEqual({ signedOut: true });
    expect(ok(await call(app.router, 'session.current', {}))).toBeNull();
    expect(secrets.get(REFRESH_TOKEN_SECRET)).toBeNull();
    expect(await call(app.router, 'queue.list', {})).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    expect(ok(await call(app.router, 'sync.status', {}))).toMatchObject({
      state: 'signed_out',
      localExceptions: 0,
    });
    await app.close();
  });

  it('refuses a wrong password and an unreachable server with distinct codes', async () => {
    const app = await services(join(dir, 'd'), createMemorySecretStore());
    expect(
      await call(app.router, 'session.signIn', { ...OPERATOR, password: 'wrong-password' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(
      await call(app.router, 'session.signIn', { ...OPERATOR, serverUrl: 'http://127.0.0.1:9' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'offline' },
    });
    await app.close();
  });

  /** A store, session and event bus of its own, recording the row count at each queue.changed. */
  const pullingClient = (file: string) => {
    const store = openLocalStore(join(dir, file));
    const events = createEventBus();
    const session = createSessionService({
      store,
      secrets: createMemorySecretStore(),
      defaultServerUrl: server.url,
    });
    const pulled: number[] = [];
    events.on('queue.changed', () => pulled.push(store.exceptions.countAll()));
    return { store, events, session, pulled };
  };

  it('pulls in pages, committing the cursor with each, and resumes from it', async () => {
    const { store, events, session, pulled } = pullingClient('paged.sqlite');
    // One page only, then stop: the next cycle resumes after it.
    const first = createSyncEngine({
      store,
      session,
      events,
      steps: [createPullStep({ pageSize: 70, maxPagesPerCycle: 1 })],
    });
    await session.signIn(LEAD);
    await first.syncNow();
    await first.stop();
    // Not a first sync any more: every later page is its own commit, heard by the queue.
    expect(pulled[0]).toBe(70);
    const engine = createSyncEngine({ store, session, events, steps: [createPullStep({ pageSize: 70 })] });
    await engine.syncNow();
    expect(pulled).toEqual([70, 140, 210, 280, DEMO_COUNT]);
    const cursor = store.pullCursor();
    expect(cursor).toBeGreaterThan(0);
    await engine.syncNow();
    expect(store.pullCursor()).toBe(cursor);
    expect(pulled).toHaveLength(5);
    await engine.stop();
    store.close();
  });

  it('lands a first sync of many pages whole, then tells the queue once', async () => {
    const { store, events, session, pulled } = pullingClient('first.sqlite');
    const engine = createSyncEngine({ store, session, events, steps: [createPullStep({ pageSize: 70 })] });
    await session.signIn(LEAD);
    await engine.syncNow();
    expect(pulled).toEqual([DEMO_COUNT]);
    // The deferred indexes are back: the queue's default order reads straight off one.
    const { rows } = store.exceptions.page({ statuses: ['open'], sort: 'priority_sla', offset: 0, limit: 5 });
    expect(rows.every((r) => r.status === 'open')).toBe(true);
    expect(store.settings.get(DEFERRED_INDEXES_KEY, z.unknown())).toBeNull();
    await engine.stop();
    store.close();
  });

  it('writes a pulled page in slices with the event loop free between them, the cursor last', async () => {
    const { store, events, session } = pullingClient('sliced.sqlite');
    // One page of every row, written 16 rows per slice.
    const engine = createSyncEngine({
      store,
      session,
      events,
      steps: [createPullStep({ pageSize: DEMO_COUNT, sliceMs: 0 })],
    });
    await session.signIn(LEAD);
    // What a bridge call running between two slices sees.
    const seen: { rows: number; cursor: number }[] = [];
    let pulling = true;
    const look = (): void => {
      if (!pulling) return;
      seen.push({ rows: store.exceptions.countAll(), cursor: store.pullCursor() });
      setImmediate(look);
    };
    setImmediate(look);
    await engine.syncNow();
    pulling = false;
    const between = seen.filter((s) => s.rows > 0 && s.rows < DEMO_COUNT);
    expect(between.length).toBeGreaterThan(5);
    expect(between.every((s) => s.cursor === 0)).toBe(true);
    expect(store.exceptions.countAll()).toBe(DEMO_COUNT);
    expect(store.pullCursor()).toBeGreaterThan(0);
    await engine.stop();
    store.close();
  });

  it('reports offline when the server goes away, without losing the local queue', async () => {
    const own = await startDemoServer();
    const app = await services(join(dir, 'e'), createMemorySecretStore(), own.url);
    ok(await call(app.router, 'session.signIn', LEAD));
    ok(await call(app.router, 'sync.now', {}));
    await own.close();
    const status = ok(await call(app.router, 'sync.now', {}));
    expect(status).toMatchObject({ online: false, state: 'offline', localExceptions: DEMO_COUNT });
    expect(status.lastError).toContain('Cannot reach the server');
    const { rows, total } = ok(await call(app.router, 'queue.list', {}));
    expect(total).toBe(DEMO_COUNT);
    // Evidence never fetched here cannot come now: a precise answer, and the record still opens.
    const id = rows[0]!.id;
    expect(ok(await call(app.router, 'exception.get', { id })).id).toBe(id);
    const evidence = await call(app.router, 'exception.evidence', { id });
    expect(evidence).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(evidence.ok ? '' : evidence.error.message).toContain('not on this computer');
    await app.close();
  });
});
