import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../electron/browser-host/host';
import { CONTENT_SECURITY_POLICY } from '@shared/security/csp';
import { DEMO_COUNT, LEAD, startDemoServer } from './real-server';
import { waitFor } from '../support/wait-for';
import { tempDir } from '../support/temp-dir';

let server: Awaited<ReturnType<typeof startDemoServer>>;
let host: BrowserHost;
const tmp = tempDir('host');
const dir = tmp.dir;
const dataDir = join(dir, 'client');

beforeAll(async () => {
  server = await startDemoServer();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>Ledgerdesk</title><div id="root"></div>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  host = await startBrowserHost({ port: 0, dataDir, serverUrl: server.url, rendererDir, version: '9.9.9' });
});
afterAll(async () => {
  await host?.close();
  await server?.close();
  tmp.remove();
});

const invoke = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.url}/bridge/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

function openSocket(
  origin: string,
): Promise<{ ws: WebSocket; messages: { event: string; payload: unknown }[] }> {
  return new Promise((done, fail) => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/bridge/events`, { origin });
    const messages: { event: string; payload: unknown }[] = [];
    ws.on('message', (data) =>
      messages.push(JSON.parse(String(data)) as { event: string; payload: unknown }),
    );
    ws.on('open', () => done({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', fail);
  });
}

describe('browser-mode host', () => {
  it('serves the renderer with the strict CSP header', async () => {
    const res = await fetch(`${host.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('<div id="root">');
    const asset = await fetch(`${host.url}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await fetch(`${host.url}/assets/missing.js`)).status).toBe(404);
  });

  it('answers bridge calls with the envelope, status 200 even on failure', async () => {
    const info = await invoke('app.info', {});
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual({
      ok: true,
      value: {
        version: '9.9.9',
        mode: 'browser',
        dataDir,
        defaultServerUrl: server.url,
        storeRecovery: null,
      },
    });
    const bad = await invoke('queue.list', { limit: 'lots' });
    expect(bad.status).toBe(200);
    expect(await bad.json()).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'limit' }] },
    });
    expect(await (await invoke('nope.nope', {})).json()).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    const empty = await fetch(`${host.url}/bridge/invoke/sync.status`, { method: 'POST' });
    expect(await empty.json()).toMatchObject({ ok: true, value: { state: 'signed_out' } });
  });

  it('refuses calls and sockets from other origins', async () => {
    const foreign = await invoke('app.info', {}, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    const otherPort = await invoke('app.info', {}, { origin: 'http://127.0.0.1:1' });
    expect(otherPort.status).toBe(403);
    expect((await invoke('app.info', {}, { origin: host.url })).status).toBe(200);
    await expect(openSocket('http://evil.example')).rejects.toThrow('403');
  });

  it('signs in over the bridge and pushes sync events on the socket', async () => {
    const { ws, messages } = await openSocket(host.url);
    const signIn = await (await invoke('session.signIn', LEAD, { origin: host.url })).json();
    expect(signIn).toMatchObject({ ok: true, value: { user: { username: 'lead1' } } });
    await waitFor(() => messages.some((m) => m.event === 'queue.changed'));
    await waitFor(() =>
      messages.some(
        (m) =>
          m.event === 'sync.status' &&
          (m.payload as { state: string; localExceptions: number }).state === 'idle',
      ),
    );
    const page = await (await invoke('queue.list', { limit: 5 })).json();
    expect(page).toMatchObject({ ok: true, value: { total: DEMO_COUNT } });
    ws.close();

    const secrets = join(dataDir, 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
  });
});
