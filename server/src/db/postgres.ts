import pg from 'pg';
import type { Database, Queryable, QueryOptions } from './types';
import { TEXT_PARSED_OIDS, textParser } from './type-oids';
import { callTiming, recordStatement } from './call-timing';
import { copyIn } from './copy-in';

// A per-pool type table, so we never touch pg's process-global parsers.
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (TEXT_PARSED_OIDS.includes(oid)) return textParser;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** node-postgres keeps the backend's pid from the start-up handshake (not in its typings). */
function backendPid(client: pg.PoolClient): number | undefined {
  const pid = (client as pg.PoolClient & { processID?: unknown }).processID;
  return typeof pid === 'number' ? pid : undefined;
}

function run(
  target: pg.Pool | pg.PoolClient,
  sql: string,
  params: readonly unknown[],
  opts: QueryOptions,
): Promise<pg.QueryResult> {
  return opts.prepare
    ? target.query({ name: opts.prepare, text: sql, values: [...params] })
    : target.query(sql, [...params]);
}

/**
 * A statement on the pool, split into the wait for a connection and the statement itself, for a
 * request that is being measured (pool.query hides the wait inside one figure).
 */
async function timedOnPool(
  pool: pg.Pool,
  sql: string,
  params: readonly unknown[],
  opts: QueryOptions,
): Promise<pg.QueryResult> {
  const timing = callTiming.getStore();
  if (!timing) return run(pool, sql, params, opts);
  const asked = performance.now();
  const client = await pool.connect();
  const got = performance.now();
  timing.poolWaitMs += got - asked;
  try {
    return await run(client, sql, params, opts);
  } finally {
    recordStatement(timing, performance.now() - got, backendPid(client));
    client.release();
  }
}

async function timedOnClient(
  client: pg.PoolClient,
  sql: string,
  params: readonly unknown[],
  opts: QueryOptions,
): Promise<pg.QueryResult> {
  const timing = callTiming.getStore();
  if (!timing) return run(client, sql, params, opts);
  const start = performance.now();
  try {
    return await run(client, sql, params, opts);
  } finally {
    recordStatement(timing, performance.now() - start, backendPid(client));
  }
}

function wrap(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = [], opts: QueryOptions = {}): Promise<T[]> {
      const result =
        target instanceof pg.Pool
          ? await timedOnPool(target, sql, params, opts)
          : await timedOnClient(target, sql, params, opts);
      return result.rows as T[];
    },
    async exec(sql: string): Promise<void> {
      await target.query(sql);
    },
    async copyFrom(sql: string, chunks: Iterable<string>): Promise<void> {
      if (!(target instanceof pg.Pool)) return copyIn(target, sql, chunks);
      const client = await target.connect();
      try {
        await copyIn(client, sql, chunks);
      } finally {
        client.release();
      }
    },
  };
}

export async function openPostgres(connectionString: string, maxConnections = 10): Promise<Database> {
  // min = max: an idle connection is kept, not closed after 10 s, since a new one costs a login
  // and starts with an empty plan cache (measured: a cold get-next takes ~40 ms, a warm one ~2).
  // Named (prepared) statements, get-next alone, reuse one generic plan per connection:
  // PostgreSQL otherwise re-plans its 16-branch query on every call, which doubled its time
  // (3.6 ms against 1.8 ms). Set at connection start-up (an `options` in DATABASE_URL wins).
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    min: maxConnections,
    types: typeParsers,
    options: '-c plan_cache_mode=force_generic_plan',
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that crashes the process.
  pool.on('error', () => undefined);
  await pool.query('select 1');
  const base = wrap(pool);
  const listeners = new Set<() => Promise<void>>();
  return {
    kind: 'postgres',
    connections: maxConnections,
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const asked = performance.now();
      const client = await pool.connect();
      const timing = callTiming.getStore();
      if (timing) timing.poolWaitMs += performance.now() - asked;
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    listen: async (channel, onPayload) => {
      const stop = await listenOn(connectionString, channel, onPayload);
      const remove = async (): Promise<void> => {
        listeners.delete(remove);
        await stop();
      };
      listeners.add(remove);
      return remove;
    },
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}

/**
 * LISTEN needs a connection of its own, held for the process's life (a pooled one would be handed
 * to queries). When it drops (database restart), it reconnects after a second; notifications sent
 * in between are lost, which is harmless: they only say "pull now", and clients also pull on
 * reconnect and on a timer.
 */
async function listenOn(
  connectionString: string,
  channel: string,
  onPayload: (payload: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  const reconnectLater = (): void => {
    if (stopped) return;
    clearTimeout(retry);
    retry = setTimeout(() => void connect().catch(reconnectLater), 1000);
  };
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload !== undefined) onPayload(msg.payload);
    });
    c.on('error', () => {
      if (client === c) client = null;
      void c.end().catch(() => undefined);
      reconnectLater();
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    if (stopped) {
      await c.end();
      return;
    }
    client = c;
  };
  await connect();
  return async (): Promise<void> => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}
