import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import { OPERATOR1, startSyncServer, stopSyncClusters, type SyncServer } from './sync-server';
import { call, ok } from './typed-dispatch';
import { tempDir } from '../support/temp-dir';

let server: SyncServer;
const tmp = tempDir('poison');
const dir = tmp.dir;

beforeAll(async () => {
  server = await startSyncServer({ demoCount: 60 });
});
afterAll(async () => {
  await server?.close();
  await stopSyncClusters();
  tmp.remove();
});

describe('a desk whose outbox holds a change the server cannot take', () => {
  it('has that change rejected on its own, delivers the rest, and keeps syncing', async () => {
    const app = await createAppServices({
      dataDir: join(dir, 'desk'),
      secretStore: createMemorySecretStore(),
      mode: 'browser',
      defaultServerUrl: server.url,
      version: 'test',
      validateOutput: true,
      syncIntervalMs: 600_000,
      serverEvents: false,
      backoff: { baseMs: 20, capMs: 200 },
    });
    ok(await call(app.router, 'work.updateSettings', { prefetchCount: 2 }));
    const session = ok(await call(app.router, 'session.signIn', OPERATOR1));
    ok(await call(app.router, 'sync.now', {}));
    const item = ok(await call(app.router, 'work.next', {})).item;
    if (!item) throw new Error('nothing leased');
    const exceptionId = item.exception.id;

    // What an older version let into the outbox, or a damaged disk produced: today's bridge
    // refuses it, so it is written straight into the store.
    const userId = session.user.id;
    const nul = randomUUID();
    const future = randomUUID();
    app.store.outbox.enqueue({
      mutationId: nul,
      userId,
      occurredAt: new Date().toISOString(),
      body: { kind: 'exception.note', exceptionId, text: 'pasted from a PDF \u0000 with a NUL' },
      now: Date.now(),
    });
    app.store.outbox.enqueue({
      mutationId: future,
      userId,
      occurredAt: '9999-12-31T23:59:59.000Z',
      body: { kind: 'exception.note', exceptionId, text: 'written on a desk whose clock is wrong' },
      now: Date.now(),
    });
    const note = ok(
      await call(app.router, 'exception.addNote', { exceptionId, text: 'called the customer' }),
    );
    expect(
      await call(app.router, 'exception.addNote', { exceptionId, text: 'a NUL \u0000 typed today' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'text' }] } });

    const status = ok(await call(app.router, 'sync.now', {}));
    // "failed" counts what the server would not take: the two refused changes, kept with why.
    expect(status).toMatchObject({ state: 'idle', online: true, pending: 0, failed: 2, lastError: null });
    const outbox = ok(await call(app.router, 'sync.outbox', {}));
    expect(outbox.items.map((e) => [e.mutationId, e.state]).sort()).toEqual(
      [
        [nul, 'rejected'],
        [future, 'rejected'],
      ].sort(),
    );
    const reasons = outbox.items.map((e) => e.lastError ?? '').join(' | ');
    expect(reasons).toMatch(/NUL byte or an unpaired surrogate/);
    expect(reasons).toMatch(/ahead of the server clock/);
    const notes = await server.db.query<{ mutation_id: string }>(
      'SELECT mutation_id FROM exception_notes WHERE exception_id = $1',
      [exceptionId],
    );
    expect(notes.map((n) => n.mutation_id)).toEqual([note.mutationId]);

    // And the desk keeps syncing: the next change goes through.
    const later = ok(
      await call(app.router, 'exception.addNote', { exceptionId, text: 'customer called back' }),
    );
    expect(ok(await call(app.router, 'sync.now', {}))).toMatchObject({ state: 'idle', pending: 0 });
    const [row] = await server.db.query<{ outcome: string }>(
      'SELECT outcome FROM sync_mutations WHERE mutation_id = $1',
      [later.mutationId],
    );
    expect(row).toEqual({ outcome: 'applied' });
    await app.close();
  });
});
