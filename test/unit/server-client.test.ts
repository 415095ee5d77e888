import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createServerClient,
  ServerError,
  type AccessTokenSource,
} from '../../electron/services/session/server-client';
import { makeException } from './fixtures/exception-factory';

/** A throwaway HTTP server standing in for the central API's wire behaviour (not its logic). */
async function stub(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const emptyPage = { changes: [], cursor: 0, hasMore: false };

function tokens(initial: string, renewed: string): AccessTokenSource & { renewals: number } {
  const t = {
    renewals: 0,
    accessToken: async () => initial,
    renew: async () => {
      t.renewals += 1;
      return renewed;
    },
  };
  return t;
}

describe('server client', () => {
  it('refreshes once after a 401 and retries with the new token', async () => {
    const seen: string[] = [];
    const { url, server } = await stub((req, res) => {
      seen.push(req.headers.authorization ?? '');
      if (req.headers.authorization === 'Bearer fresh') json(res, 200, emptyPage);
      else json(res, 401, { error: 'unauthorized', message: 'token expired' });
    });
    servers.push(server);
    const t = tokens('stale', 'fresh');
    await expect(createServerClient({ baseUrl: url }).pull({ cursor: 0, limit: 10 }, t)).resolves.toEqual(
      emptyPage,
    );
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
    expect(t.renewals).toBe(1);
  });

  it('gives up as unauthorized when the retried call is refused too', async () => {
    const { url, server } = await stub((_req, res) =>
      json(res, 401, { error: 'unauthorized', message: 'no' }),
    );
    servers.push(server);
    const t = tokens('a', 'b');
    await expect(
      createServerClient({ baseUrl: url }).pull({ cursor: 0, limit: 10 }, t),
    ).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(t.renewals).toBe(1);
  });

  it('reports a closed port as offline', async () => {
    const { url, server } = await stub(() => undefined);
    await new Promise((done) => server.close(done));
    const err = await createServerClient({ baseUrl: url })
      .health()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ kind: 'offline', isConnectivity: true });
    expect((err as Error).message).toContain('Cannot reach the server');
  });

  it('reports a server that never answers as a timeout', async () => {
    const { url, server } = await stub(() => undefined);
    servers.push(server);
    await expect(createServerClient({ baseUrl: url, timeoutMs: 200 }).health()).rejects.toMatchObject({
      kind: 'timeout',
    });
    server.closeAllConnections();
  });

  it('refuses an answer that does not match the shared schema', async () => {
    const { url, server } = await stub((_req, res) => json(res, 200, { status: 'ok', version: 1 }));
    servers.push(server);
    await expect(createServerClient({ baseUrl: url }).health()).rejects.toMatchObject({ kind: 'server' });
  });

  it('checks a big pull page change by change, naming the first bad one by its place', async () => {
    const change = (n: number) => {
      const { evidence: _evidence, ...data } = makeException(n);
      return { seq: n, entity: 'exception', entityId: data.id, op: 'upsert', data };
    };
    const changes = Array.from({ length: 600 }, (_, i) => change(i + 1));
    const good = await stub((_req, res) => json(res, 200, { changes, cursor: 600, hasMore: false }));
    servers.push(good.server);
    const t = tokens('a', 'b');
    const page = await createServerClient({ baseUrl: good.url }).pull({ cursor: 0, limit: 600 }, t);
    expect(page.changes).toHaveLength(600);
    expect(page.changes[599]).toEqual(changes[599]);

    const broken = changes.map((c, i) => (i === 530 ? { ...c, data: { ...c.data, priority: 'high' } } : c));
    const bad = await stub((_req, res) => json(res, 200, { changes: broken, cursor: 600, hasMore: false }));
    servers.push(bad.server);
    await expect(
      createServerClient({ baseUrl: bad.url }).pull({ cursor: 0, limit: 600 }, t),
    ).rejects.toMatchObject({
      kind: 'server',
      message: expect.stringContaining('changes.530.data.priority'),
    });
  });

  it('maps 5xx to a server error and keeps the API error message', async () => {
    const { url, server } = await stub((_req, res) =>
      json(res, 503, { error: 'internal', message: 'database is down' }),
    );
    servers.push(server);
    const err = await createServerClient({ baseUrl: url })
      .health()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'server', status: 503 });
    expect((err as Error).message).toContain('database is down');
  });

  it('maps a 4xx answer to rejected with the server message', async () => {
    const { url, server } = await stub((_req, res) =>
      json(res, 429, { error: 'rate_limited', message: 'slow down' }),
    );
    servers.push(server);
    await expect(
      createServerClient({ baseUrl: url }).login({ username: 'a', password: 'b' }),
    ).rejects.toMatchObject({
      kind: 'rejected',
      status: 429,
      message: 'slow down',
    });
  });
});
