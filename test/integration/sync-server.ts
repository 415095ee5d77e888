import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { startPostgresCluster, type PostgresCluster } from '../../scripts/postgres-cluster';
import { buildApp } from '../../server/src/app';
import { defaultConfig, type ServerConfig } from '../../server/src/config';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import type { Database } from '../../server/src/db/types';
import { seedDemo } from '../../server/src/demo/seed';
import { DEMO_PASSWORD } from '../../server/src/demo/users';

/**
 * The real central API for the client's sync tests, in this process, with the database handle
 * kept so a test can check what the server holds. The HTTP side can go down and come back on
 * the same port (the database stays), which is what an outage looks like to a client.
 *
 * Backend: a real PostgreSQL cluster (scripts/postgres-cluster.ts) when its binaries are
 * installed and LEDGERDESK_TEST_PGLITE is not set, else embedded PGlite. `backend` says which.
 */
export interface SyncServer {
  readonly backend: 'postgres' | 'pglite';
  readonly url: string;
  readonly db: Database;
  /** Closes the HTTP side only: clients see connection refused. */
  down(): Promise<void>;
  /** Listens again on the same port; with `config`, as a differently configured (newer) server. */
  up(config?: Partial<ServerConfig>): Promise<void>;
  close(): Promise<void>;
}

export const JWT_SECRET = 'client-sync-tests-secret-long-enough-for-hs256-0123456789';
export { DEMO_PASSWORD };
export const OPERATOR1 = { username: 'operator1', password: DEMO_PASSWORD } as const;
export const OPERATOR2 = { username: 'operator2', password: DEMO_PASSWORD } as const;
export const LEAD1 = { username: 'lead1', password: DEMO_PASSWORD } as const;

let cluster: Promise<PostgresCluster | null> | null = null;
let databases = 0;

/** One cluster per test file (process), started on first use; stop it with `stopSyncClusters`. */
function sharedCluster(): Promise<PostgresCluster | null> {
  if (process.env.LEDGERDESK_TEST_PGLITE === '1') return Promise.resolve(null);
  cluster ??= startPostgresCluster().catch((err: unknown) => {
    console.warn(`[sync tests] PostgreSQL cluster did not start, using PGlite: ${String(err)}`);
    return null;
  });
  return cluster;
}

export async function stopSyncClusters(): Promise<void> {
  const c = await cluster;
  cluster = null;
  c?.stop();
}

export async function startSyncServer(
  opts: { demoCount?: number; config?: Partial<ServerConfig> } = {},
): Promise<SyncServer> {
  const pgCluster = await sharedCluster();
  let databaseUrl: string | undefined;
  if (pgCluster) {
    databases += 1;
    const name = `ledgerdesk_sync_${process.pid}_${databases}`;
    const admin = new pg.Client({ connectionString: pgCluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(pgCluster.url);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  } else {
    console.warn('[sync tests] no PostgreSQL binaries: running against PGlite (embedded)');
  }
  const db = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 20 } : {});
  await migrate(db);
  await seedDemo(db, { count: opts.demoCount ?? 300 });
  let config: ServerConfig = defaultConfig({ jwtSecret: JWT_SECRET, ...opts.config });

  let port = 0;
  let app: FastifyInstance | null = null;
  const listen = async (): Promise<void> => {
    const next = await buildApp({ db, config });
    await next.listen({ port, host: '127.0.0.1' });
    const address = next.server.address();
    port = typeof address === 'object' && address ? address.port : port;
    app = next;
  };
  await listen();
  const stopHttp = async (): Promise<void> => {
    const running = app;
    app = null;
    if (!running) return;
    // Keep-alive sockets of clients would hold close() open; an outage drops them anyway.
    running.server.closeAllConnections();
    // A desk reconnecting while close() runs its hooks would hold it open: keep dropping them.
    const drop = setInterval(() => running.server.closeAllConnections(), 50);
    try {
      await running.close();
    } finally {
      clearInterval(drop);
    }
  };

  return {
    backend: databaseUrl ? 'postgres' : 'pglite',
    url: `http://127.0.0.1:${port}`,
    db,
    down: stopHttp,
    up: async (overrides) => {
      if (overrides) config = { ...config, ...overrides };
      if (!app) await listen();
    },
    close: async () => {
      await stopHttp();
      await db.close();
    },
  };
}

/** A bearer token for direct API calls a test makes as another user (a lead reassigning work). */
export async function apiLogin(url: string, who: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (!res.ok) throw new Error(`login ${who.username}: HTTP ${res.status}`);
  const body = (await res.json()) as { accessToken: string };
  return body.accessToken;
}

export async function apiCall<T>(
  url: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
