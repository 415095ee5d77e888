import { buildApp } from '@server/app';
import { defaultConfig, type ServerConfig } from '@server/config';
import { migrate } from '@server/db/migrate';
import { openDatabase } from '@server/db/open';
import type { Database } from '@server/db/types';
import { seedDemo } from '@server/demo/seed';
import type { DatabaseTarget, FreshDatabase } from './databases';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  url: string;
  db: Database;
  fresh: FreshDatabase;
  close(): Promise<void>;
}

/**
 * The real HTTP app on a fresh database, with the database handle kept so a test can look at
 * (or tamper with) the tables behind the API. Demo users are always seeded; `demoCount`
 * exceptions with them (0 = users only).
 */
export async function startTestApp(
  target: DatabaseTarget,
  opts: { demoCount?: number; config?: Partial<ServerConfig>; onDisk?: boolean; now?: () => Date } = {},
): Promise<TestApp> {
  const fresh = await target.fresh({ onDisk: opts.onDisk ?? false });
  const db = await openDatabase(fresh.options);
  await migrate(db);
  await seedDemo(db, { count: opts.demoCount ?? 0 });
  const app = await buildApp({
    db,
    config: defaultConfig({ jwtSecret: TEST_JWT_SECRET, ...opts.config }),
    ...(opts.now ? { now: opts.now } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    fresh,
    close: () => {
      closed ??= app
        .close()
        .then(() => db.close())
        .then(() => fresh.cleanup());
      return closed;
    },
  };
}

/**
 * A second API server on the database of `first` (as two processes share one PostgreSQL): its own
 * Fastify instance, listener and event subscriptions, the same tables.
 */
export async function startSecondApp(
  first: TestApp,
  opts: { config?: Partial<ServerConfig>; now?: () => Date } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildApp({
    db: first.db,
    config: defaultConfig({ jwtSecret: TEST_JWT_SECRET, ...opts.config }),
    ...(opts.now ? { now: opts.now } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
