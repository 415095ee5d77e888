import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import { createSessionService, REFRESH_TOKEN_SECRET } from '../../electron/services/session/session';
import { openLocalStore } from '../../electron/services/store/local-store';
import { OPERATOR, startDemoServer } from './real-server';
import { tempDir } from '../support/temp-dir';

let server: Awaited<ReturnType<typeof startDemoServer>>;
const tmp = tempDir('signout');
const dir = tmp.dir;

beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server?.close();
  tmp.remove();
});

/** A fetch that can be cut off, as when the desk loses its link. */
function switchableFetch(): { fetch: typeof fetch; offline: (cut: boolean) => void } {
  let cut = false;
  return {
    fetch: (input, init) =>
      cut ? Promise.reject(new TypeError('fetch failed')) : fetch(input as string | URL, init),
    offline: (value) => (cut = value),
  };
}

async function refreshStatus(refreshToken: string): Promise<number> {
  const res = await fetch(`${server.url}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  return res.status;
}

describe('desktop sign-out', () => {
  it('ends the session on the server, so the tokens it held are refused there', async () => {
    const store = openLocalStore(join(dir, 'online.db'));
    const secrets = createMemorySecretStore();
    const net = switchableFetch();
    const session = createSessionService({ store, secrets, defaultServerUrl: server.url, fetch: net.fetch });
    await session.signIn(OPERATOR);
    const refreshToken = secrets.get(REFRESH_TOKEN_SECRET);
    const accessToken = await session.accessToken();
    if (!refreshToken) throw new Error('no refresh token kept');

    await session.signOut();
    expect(session.current()).toBeNull();
    expect(await refreshStatus(refreshToken)).toBe(401);
    const pull = await fetch(`${server.url}/api/sync/pull`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(pull.status).toBe(401);
    store.close();
  });

  it('still signs out locally when the server cannot be reached', async () => {
    const store = openLocalStore(join(dir, 'offline.db'));
    const secrets = createMemorySecretStore();
    const net = switchableFetch();
    const session = createSessionService({ store, secrets, defaultServerUrl: server.url, fetch: net.fetch });
    await session.signIn(OPERATOR);
    const refreshToken = secrets.get(REFRESH_TOKEN_SECRET);
    if (!refreshToken) throw new Error('no refresh token kept');

    net.offline(true);
    await session.signOut();
    expect(session.current()).toBeNull();
    expect(secrets.get(REFRESH_TOKEN_SECRET)).toBeNull();
    // The server never heard of it: the forgotten token merely runs out there.
    expect(await refreshStatus(refreshToken)).toBe(200);
    store.close();
  });
});
