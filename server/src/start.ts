import { buildApp } from './app';
import { defaultConfig, type ServerConfig } from './config';
import { migrate } from './db/migrate';
import { openDatabase } from './db/open';
import { warmGetNext } from './features/work/allocation';
import { DEFAULT_DEMO_COUNT, seedDemo } from './demo/seed';

export interface StartOptions {
  port?: number;
  host?: string;
  /** PostgreSQL URL; when set PGlite is not used. */
  databaseUrl?: string;
  /** PGlite data folder; undefined = in memory. */
  pgliteDir?: string;
  demo?: boolean;
  demoCount?: number;
  logger?: boolean;
  /** PostgreSQL connections per process (node-postgres pool). */
  poolSize?: number;
  config?: Partial<ServerConfig>;
  /** Time every request into this file (http/request-timing.ts): benches. */
  timingFile?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Opens the database, migrates it, seeds demo data if asked, and listens. */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const db = await openDatabase({
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    ...(opts.pgliteDir ? { pgliteDir: opts.pgliteDir } : {}),
    ...(opts.poolSize ? { poolSize: opts.poolSize } : {}),
  });
  try {
    await migrate(db);
    const config = defaultConfig({
      ...(process.env.LEDGERDESK_JWT_SECRET ? { jwtSecret: process.env.LEDGERDESK_JWT_SECRET } : {}),
      ...opts.config,
    });
    if (opts.demo) {
      await seedDemo(db, {
        count: opts.demoCount ?? DEFAULT_DEMO_COUNT,
        leaseTtlSeconds: config.leaseTtlSeconds,
      });
    }
    await warmGetNext(db, config);
    const app = await buildApp({
      db,
      config,
      logger: opts.logger ?? false,
      ...(opts.timingFile ? { timingFile: opts.timingFile } : {}),
    });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    let closed: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${String(port)}`,
      close: () => {
        closed ??= app.close().then(() => db.close());
        return closed;
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
