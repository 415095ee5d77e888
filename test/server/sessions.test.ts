import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logoutResponseSchema } from '@shared/api/auth';
import { deactivateResponseSchema } from '@shared/api/users';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startSecondApp, startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';

interface OpenStream {
  status: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<'ended'>;
  close(): void;
}

async function openEvents(url: string, token: string): Promise<OpenStream> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/sync/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = res.body?.getReader();
  const ended = (async (): Promise<'ended'> => {
    if (!reader) return 'ended';
    try {
      for (;;) if ((await reader.read()).done) return 'ended';
    } catch {
      return 'ended';
    }
  })();
  return { status: res.status, ended, close: () => controller.abort() };
}

function within<T>(ms: number, p: Promise<T>): Promise<T | 'timeout'> {
  return Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
}

describe.each(databaseTargets())('sessions on $kind', (target) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 0, config: { maxEventStreamsPerUser: 3 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('after logout the access token and the refresh token are refused; another session goes on', async () => {
    const session = await login(app.url, 'operator1', DEMO_PASSWORD);
    const other = await login(app.url, 'operator1', DEMO_PASSWORD);
    expect((await request(app.url, '/api/sync/pull', { token: session.accessToken })).status).toBe(200);
    const stream = await openEvents(app.url, session.accessToken);
    expect(stream.status).toBe(200);

    const out = await request(app.url, '/api/auth/logout', { body: { refreshToken: session.refreshToken } });
    expect(out.status).toBe(200);
    expect(logoutResponseSchema.parse(out.body)).toEqual({ signedOut: true });

    expectApiError(
      await request(app.url, '/api/sync/pull', { token: session.accessToken }),
      401,
      'unauthorized',
    );
    expectApiError(
      await request(app.url, '/api/auth/refresh', { body: { refreshToken: session.refreshToken } }),
      401,
      'unauthorized',
    );
    expect(await within(3000, stream.ended)).toBe('ended');
    expect((await request(app.url, '/api/sync/pull', { token: other.accessToken })).status).toBe(200);
    // Logging out twice, or with a token nobody issued, is answered alike.
    const again = await request(app.url, '/api/auth/logout', {
      body: { refreshToken: session.refreshToken },
    });
    const unknown = await request(app.url, '/api/auth/logout', { body: { refreshToken: 'x'.repeat(43) } });
    expect([again.status, unknown.status]).toEqual([200, 200]);
  });

  it('a reused refresh token ends the access tokens of its session too', async () => {
    const first = await login(app.url, 'qa1', DEMO_PASSWORD);
    const rotated = await request(app.url, '/api/auth/refresh', {
      body: { refreshToken: first.refreshToken },
    });
    expect(rotated.status).toBe(200);
    // The spent token again: someone holds a copy, so the whole session ends.
    await request(app.url, '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expectApiError(
      await request(app.url, '/api/sync/pull', { token: first.accessToken }),
      401,
      'unauthorized',
    );
  });

  it('deactivating a user refuses their tokens and closes their event streams, on every server', async () => {
    const other = await startSecondApp(app);
    try {
      const admin = await login(app.url, 'admin1', DEMO_PASSWORD);
      const victim = await login(app.url, 'operator2', DEMO_PASSWORD);
      const here = await openEvents(app.url, victim.accessToken);
      const there = await openEvents(other.url, victim.accessToken);
      expect([here.status, there.status]).toEqual([200, 200]);

      const res = await request(app.url, '/api/users/user-operator2/deactivate', {
        body: { reason: 'left the team' },
        token: admin.accessToken,
      });
      expect(res.status).toBe(200);
      expect(deactivateResponseSchema.parse(res.body).id).toBe('user-operator2');

      expectApiError(
        await request(app.url, '/api/sync/pull', { token: victim.accessToken }),
        401,
        'unauthorized',
      );
      expectApiError(
        await request(other.url, '/api/sync/pull', { token: victim.accessToken }),
        401,
        'unauthorized',
      );
      expect(await within(3000, here.ended)).toBe('ended');
      expect(await within(3000, there.ended)).toBe('ended');
      // No new session either, and the answer is the one a wrong password gets.
      const again = await request(app.url, '/api/auth/login', {
        body: { username: 'operator2', password: DEMO_PASSWORD },
      });
      expect(expectApiError(again, 401, 'unauthorized').message).toBe('invalid username or password');
      const audit = await app.db.query<{ actor_id: string; details: unknown }>(
        `SELECT actor_id, details FROM audit_log WHERE action = 'user.deactivate' AND entity_id = 'user-operator2'`,
      );
      expect(audit).toEqual([
        { actor_id: 'user-admin1', details: { reason: 'left the team', leasesReturned: 0 } },
      ]);
    } finally {
      await other.close();
    }
  });

  it('only an admin deactivates, never themselves, and an unknown id is 404', async () => {
    const lead = await login(app.url, 'lead1', DEMO_PASSWORD);
    const admin = await login(app.url, 'admin1', DEMO_PASSWORD);
    const post = (path: string, token: string) => request(app.url, path, { body: { reason: 'test' }, token });
    expectApiError(await post('/api/users/user-qa1/deactivate', lead.accessToken), 403, 'forbidden');
    expectApiError(await post('/api/users/user-admin1/deactivate', admin.accessToken), 409, 'conflict');
    expectApiError(await post('/api/users/no-such-user/deactivate', admin.accessToken), 404, 'not_found');
    expect((await request(app.url, '/api/sync/pull', { token: lead.accessToken })).status).toBe(200);
  });

  it('caps the event streams one user holds open', async () => {
    const user = await login(app.url, 'trainer1', DEMO_PASSWORD);
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await openEvents(app.url, user.accessToken));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await request(app.url, '/api/sync/events', { token: user.accessToken });
    expectApiError(refused, 429, 'rate_limited');
    open[0]?.close();
    await new Promise((r) => setTimeout(r, 200));
    const next = await openEvents(app.url, user.accessToken);
    expect(next.status).toBe(200);
    for (const s of [...open, next]) s.close();
  });
});
