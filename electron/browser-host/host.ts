import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { CONTENT_SECURITY_POLICY } from '@shared/security/csp';
import { createAppServices, type AppServices } from '../services/app-services';
import { createFileSecretStore } from '../services/session/secret-store';
import { allowedOrigins, isAllowedRequest } from './origin-guard';
import { RELEASE } from '@shared/release';

export interface BrowserHostOptions {
  port?: number;
  host?: string;
  dataDir: string;
  serverUrl: string;
  rendererDir: string;
  version?: string;
  /** Test hook: faster sync ticks. */
  syncIntervalMs?: number;
}

export interface BrowserHost {
  url: string;
  close(): Promise<void>;
}

const EVENTS_PATH = '/bridge/events';

/**
 * Browser mode: the built renderer plus the very same service router as Electron, carried over
 * `POST /bridge/invoke/:channel` and a WebSocket of events. Loopback only.
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const host = opts.host ?? '127.0.0.1';
  const rendererDir = resolve(opts.rendererDir);
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `no built renderer at ${rendererDir} (index.html missing): run \`npx electron-vite build\` first`,
    );
  }

  const services: AppServices = await createAppServices({
    dataDir: opts.dataDir,
    secretStore: createFileSecretStore(join(opts.dataDir, 'secrets.json')),
    mode: 'browser',
    defaultServerUrl: opts.serverUrl,
    version: opts.version ?? RELEASE,
    ...(opts.syncIntervalMs ? { syncIntervalMs: opts.syncIntervalMs } : {}),
  });

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  let origins = new Set<string>();

  // An empty body means "no input" (curl, a bare fetch); anything else must be JSON.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      const err = new Error('the request body is not valid JSON') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!isAllowedRequest({ origin: request.headers.origin, host: request.headers.host }, origins)) {
      return reply
        .code(403)
        .type('application/json')
        .send({
          ok: false,
          error: { code: 'forbidden_sender', message: 'this origin may not use the Ledgerdesk host' },
        });
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    if (request.url.startsWith('/bridge/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.post<{ Params: { channel: string } }>('/bridge/invoke/:channel', async (request, reply) => {
    const input: unknown = request.body === undefined ? {} : request.body;
    const result = await services.router.dispatch(request.params.channel, input);
    // Always 200: the envelope carries the outcome, as it does over Electron IPC.
    return reply.code(200).type('application/json').send(result);
  });
  // An attached file travels as base64 (10 MB of file is ~14 MB of JSON): only this channel
  // takes a body that large; the router's schema still bounds it.
  // A module file (5 MB at most, ~7 MB as base64) likewise.
  for (const [channel, bodyLimit] of [
    ['evidence.attach', 15 * 1024 * 1024],
    ['sops.upload', 8 * 1024 * 1024],
  ] as const) {
    app.post(`/bridge/invoke/${channel}`, { bodyLimit }, async (request, reply) => {
      const result = await services.router.dispatch(channel, request.body ?? {});
      return reply.code(200).type('application/json').send(result);
    });
  }

  // A partner file for reconciliation: up to 20 MB of file, ~27 MB as base64 in JSON.
  app.post('/bridge/invoke/recon.upload', { bodyLimit: 28 * 1024 * 1024 }, async (request, reply) => {
    const result = await services.router.dispatch('recon.upload', request.body ?? {});
    return reply.code(200).type('application/json').send(result);
  });

  await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'], wildcard: false });

  // Client-side routes (a reload on a deep link) get the app shell; the bridge does not.
  app.setNotFoundHandler((request, reply) => {
    if (
      request.method === 'GET' &&
      !request.url.startsWith('/bridge/') &&
      !/\.[a-z0-9]+$/i.test(request.url.split('?')[0] ?? '')
    ) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.code(404).type('application/json').send({ error: 'not_found', message: 'no such route' });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    // The socket is one-way (events out); anything the page sends is ignored.
  });
  const unsubscribe = services.subscribe((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(message);
  });

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    const allowed = isAllowedRequest({ origin: request.headers.origin, host: request.headers.host }, origins);
    if (path !== EVENTS_PATH || !allowed) {
      socket.write(
        `HTTP/1.1 ${allowed ? '404 Not Found' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  try {
    await app.listen({ port: opts.port ?? 0, host });
  } catch (err) {
    await services.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  origins = allowedOrigins(host, port);
  await services.start();

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    close() {
      closing ??= (async () => {
        unsubscribe();
        for (const socket of sockets) socket.terminate();
        await new Promise<void>((done) => wss.close(() => done()));
        await app.close();
        await services.close();
      })();
      return closing;
    },
  };
}
