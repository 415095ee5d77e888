import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '@shared/api/errors';
import { defaultConfig } from '../../server/src/config';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';

const CLIENT_TIMEOUT_MS = 1000;

/**
 * Opens a raw connection, sends `head`, then one more byte of `trickle` every 250 ms; resolves
 * with how long the server let it live and what it answered.
 */
function trickle(url: string, head: string, drip: string): Promise<{ ms: number; answer: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    let i = 0;
    const socket = connect(Number(port), hostname, () => socket.write(head));
    const timer = setInterval(() => {
      if (i < drip.length && !socket.destroyed) socket.write(drip[i++] ?? '');
    }, 250);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: Date.now() - started, answer });
    });
  });
}

describe.each(databaseTargets())('request hardening on $kind', (target) => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 0, config: { clientTimeoutMs: CLIENT_TIMEOUT_MS } });
    token = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers an anonymous caller 401 before looking at its body or query, telling nothing of the schema', async () => {
    const calls: [string, unknown][] = [
      ['/api/sync/push', { nonsense: true }],
      ['/api/work/next', { count: 'lots' }],
      ['/api/work/release', []],
      ['/api/approvals/not-a-number/decision', { decision: 'maybe' }],
      ['/api/users/x/deactivate', { anything: 1 }],
    ];
    for (const [path, body] of calls) {
      const res = await request(app.url, path, { body });
      const error = expectApiError(res, 401, 'unauthorized');
      expect(error.issues, path).toBeUndefined();
    }
    const query = await request(app.url, '/api/sync/pull?cursor=0x10&limit=-1');
    expect(expectApiError(query, 401, 'unauthorized').issues).toBeUndefined();
  });

  it('takes query numbers only as plain decimal digits and names the field otherwise', async () => {
    const cases: [string, string][] = [
      ['/api/sync/pull?cursor=0x10', 'query.cursor'],
      ['/api/sync/pull?cursor[]=', 'query.cursor[]'],
      ['/api/sync/pull?cursor=1&cursor=2', 'query.cursor'],
      ['/api/sync/pull?limit=1e3', 'query.limit'],
      ['/api/sync/pull?limit=%205', 'query.limit'],
      ['/api/sync/pull?limit=', 'query.limit'],
      ['/api/conflicts?cursor=0x10', 'query.cursor'],
      ['/api/approvals?limit=1e2', 'query.limit'],
      ['/api/exceptions/EX-000001/history?limit=+5', 'query.limit'],
    ];
    for (const [path, field] of cases) {
      const error = expectApiError(await request(app.url, path, { token }), 400, 'invalid_request');
      expect(
        error.issues?.map((i) => i.path),
        path,
      ).toContain(field);
    }
    expect((await request(app.url, '/api/sync/pull?cursor=0&limit=10', { token })).status).toBe(200);
  });

  it('never hands raw input back in an error message', async () => {
    const probe = '<img src=x onerror=alert(1)>';
    const answers: unknown[] = [];
    const raw = async (path: string, init: RequestInit): Promise<void> => {
      const res = await fetch(`${app.url}${path}`, init);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      answers.push(apiErrorSchema.parse(await res.json()));
    };
    await raw('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"username": "${probe}`,
    });
    await raw('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'a', password: 'b', [probe]: 1 }),
    });
    await raw('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': `text/x-${encodeURIComponent(probe)}` },
      body: 'x',
    });
    await raw(`/api/${encodeURIComponent(probe)}`, { method: 'GET' });
    await raw(`/api/sync/pull?${encodeURIComponent(probe)}=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = JSON.stringify(answers);
    expect(text).not.toContain('img');
    expect(text).not.toContain('%3Cimg');
    expect(text).not.toContain('onerror');
  });

  it('cuts a client that trickles its headers or its body, after the client timeout', async () => {
    const headers = await trickle(
      app.url,
      'GET /api/health HTTP/1.1\r\nHost: x\r\n',
      'X-Slow: ' + 'a'.repeat(100),
    );
    expect(headers.ms).toBeLessThan(CLIENT_TIMEOUT_MS + 2500);
    const body = await trickle(
      app.url,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n',
      '{"username":"' + 'a'.repeat(150),
    );
    expect(body.ms).toBeLessThan(CLIENT_TIMEOUT_MS + 2500);
    expect(defaultConfig().clientTimeoutMs).toBe(15_000);
  });

  it('does not cut an event stream, which outlives the client timeout by design', async () => {
    const controller = new AbortController();
    const res = await fetch(`${app.url}/api/sync/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    let ended = false;
    void (async () => {
      try {
        while (reader && !(await reader.read()).done);
      } catch {
        /* aborted below */
      }
      ended = true;
    })();
    await new Promise((r) => setTimeout(r, CLIENT_TIMEOUT_MS * 3));
    expect(ended).toBe(false);
    controller.abort();
  });
});
