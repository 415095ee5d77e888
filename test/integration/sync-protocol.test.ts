import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import {
  createServerClient,
  ServerError,
  type AccessTokenSource,
} from '../../electron/services/session/server-client';
import { apiErrorSchema } from '@shared/api/errors';
import { updateRequiredSchema } from '@shared/api/sync';
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION } from '@shared/sync/protocol';
import { apiLogin, OPERATOR1, startSyncServer, stopSyncClusters, type SyncServer } from './sync-server';
import { call, ok } from './typed-dispatch';
import { waitFor } from '../support/wait-for';
import { tempDir } from '../support/temp-dir';

/**
 * Issue 10 item 9: desks stay offline for days and meet servers of other versions. The server
 * serves the previous protocol (a request without a version, as the first desks send) and answers
 * anything it does not speak with 426 "update required"; the desk then says so and keeps its
 * outbox instead of dropping work or retrying hot.
 */
const tmp = tempDir('protocol');
const dir = tmp.dir;
let server: SyncServer;

beforeAll(async () => {
  server = await startSyncServer({ demoCount: 80 });
}, 180_000);

afterAll(async () => {
  await server?.close();
  await stopSyncClusters();
  tmp.remove();
});

const asTokens = (token: string): AccessTokenSource => ({
  accessToken: async () => token,
  renew: async () => token,
});

describe('sync protocol versions', () => {
  it('serves a desk that sends no version (protocol 1) exactly as before', async () => {
    const token = await apiLogin(server.url, OPERATOR1);
    // Today's desk: the same client, without the version header.
    const oldDesk = createServerClient({ baseUrl: server.url, protocolVersion: null });
    const page = await oldDesk.pull({ cursor: 0, limit: 50 }, asTokens(token));
    expect(page.changes.length).toBeGreaterThan(0);
    const { items } = await oldDesk.next({ count: 1 }, asTokens(token));
    const leased = items[0]!;
    const mutationId = crypto.randomUUID();
    const pushed = await oldDesk.push(
      {
        clientId: crypto.randomUUID(),
        mutations: [
          {
            mutationId,
            seq: 1,
            occurredAt: new Date().toISOString(),
            body: {
              kind: 'exception.start',
              exceptionId: leased.exception.id,
              leaseId: leased.lease.leaseId,
            },
          },
        ],
      },
      asTokens(token),
    );
    expect(pushed.results).toEqual([{ mutationId, outcome: 'applied', reason: null }]);
  });

  it('answers a version it does not speak with 426 update required, before authentication', async () => {
    for (const version of ['0', String(SYNC_PROTOCOL_VERSION + 1)]) {
      for (const [method, path] of [
        ['GET', '/api/sync/pull?cursor=0'],
        ['POST', '/api/sync/push'],
        ['GET', '/api/sync/events'],
      ] as const) {
        const res = await fetch(server.url + path, {
          method,
          headers: { [SYNC_PROTOCOL_HEADER]: version, 'content-type': 'application/json' },
          ...(method === 'POST' ? { body: '{}' } : {}),
        });
        expect(res.status, `${method} ${path} v${version}`).toBe(426);
        const body = updateRequiredSchema.parse(await res.json());
        expect(body).toMatchObject({
          error: 'update_required',
          minProtocol: 1,
          maxProtocol: SYNC_PROTOCOL_VERSION,
        });
        expect(body.message).toMatch(/update/i);
      }
    }
    const bad = await fetch(`${server.url}/api/sync/pull`, { headers: { [SYNC_PROTOCOL_HEADER]: 'two' } });
    expect(bad.status).toBe(400);
    expect(apiErrorSchema.parse(await bad.json()).issues).toEqual([
      { path: `headers.${SYNC_PROTOCOL_HEADER}`, message: 'expected a whole number' },
    ]);
  });

  it('a desk facing a server that no longer speaks its protocol says update required and keeps its outbox', async () => {
    const app: AppServices = await createAppServices({
      dataDir: join(dir, 'desk'),
      secretStore: createMemorySecretStore(),
      mode: 'browser',
      defaultServerUrl: server.url,
      version: 'test',
      syncIntervalMs: 600_000,
      serverEvents: true,
      backoff: { baseMs: 20, capMs: 100 },
      leases: { prefetchCount: () => 5 },
    });
    try {
      await app.start();
      ok(await call(app.router, 'session.signIn', OPERATOR1));
      expect(ok(await call(app.router, 'sync.now', {})).state).toBe('idle');

      // The desk was away; meanwhile the server was upgraded to a protocol the desk does not know.
      await server.down();
      await server.up({ syncProtocols: { min: SYNC_PROTOCOL_VERSION + 1, max: SYNC_PROTOCOL_VERSION + 1 } });

      const skipped: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const item = ok(await call(app.router, 'work.next', {})).item!;
        ok(
          await call(app.router, 'exception.skip', {
            exceptionId: item.exception.id,
            reason: 'partner file missing',
          }),
        );
        skipped.push(item.exception.id);
      }
      // The restart dropped the event stream and pooled sockets, so a cycle may have found the
      // server away: ask until a cycle reaches it (here and below).
      await waitFor(async () => ok(await call(app.router, 'sync.now', {})).state === 'update_required');
      const status = ok(await call(app.router, 'sync.status', {}));
      expect(status).toMatchObject({ state: 'update_required', pending: 2, failed: 0, online: true });
      expect(status.lastError).toMatch(/server is older than this app|update/i);

      // Paused, not retrying hot: more local work and a few backoff periods later nothing was sent.
      const attemptsBefore = ok(await call(app.router, 'sync.outbox', {})).items.map((i) => i.attempts);
      const item = ok(await call(app.router, 'work.next', {})).item!;
      ok(
        await call(app.router, 'exception.skip', {
          exceptionId: item.exception.id,
          reason: 'partner file missing',
        }),
      );
      skipped.push(item.exception.id);
      await new Promise((r) => setTimeout(r, 600));
      const outbox = ok(await call(app.router, 'sync.outbox', {}));
      expect(outbox.items.map((i) => i.state)).toEqual(['pending', 'pending', 'pending']);
      expect(outbox.items.slice(0, 2).map((i) => i.attempts)).toEqual(attemptsBefore);
      expect(ok(await call(app.router, 'sync.status', {})).state).toBe('update_required');

      // Once the two speak a common protocol again, everything kept goes through, once.
      await server.down();
      await server.up({ syncProtocols: { min: 1, max: SYNC_PROTOCOL_VERSION } });
      await waitFor(async () => ok(await call(app.router, 'sync.now', {})).state === 'idle');
      expect(ok(await call(app.router, 'sync.status', {}))).toMatchObject({ pending: 0, failed: 0 });
      const rows = await server.db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM sync_mutations WHERE mutation_id = ANY($1::text[])`,
        [outbox.items.map((i) => i.mutationId)],
      );
      expect(rows[0]?.n).toBe('3');
    } finally {
      await app.close();
    }
  });

  it('the client reports 426 as update_required, not as a generic refusal', async () => {
    await server.down();
    await server.up({ syncProtocols: { min: 1, max: SYNC_PROTOCOL_VERSION } });
    const token = await apiLogin(server.url, OPERATOR1);
    const tooNew = createServerClient({ baseUrl: server.url, protocolVersion: SYNC_PROTOCOL_VERSION + 5 });
    const err = await tooNew.pull({ cursor: 0, limit: 1 }, asTokens(token)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({
      kind: 'update_required',
      status: 426,
      updateRequired: { maxProtocol: SYNC_PROTOCOL_VERSION },
    });
  });
});
