import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Queryable } from './types';
import { TEXT_PARSED_OIDS, textParser } from './type-oids';

function parsers(): Record<number, (value: string) => string> {
  return Object.fromEntries(TEXT_PARSED_OIDS.map((oid) => [oid, textParser]));
}

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await target.query<T>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await target.exec(sql);
    },
    // PGlite has no STDIN: COPY reads its virtual /dev/blob, handed over whole.
    async copyFrom(sql: string, chunks: Iterable<string>): Promise<void> {
      await target.query(sql.replace(/FROM STDIN/i, "FROM '/dev/blob'"), [], { blob: new Blob([...chunks]) });
    },
  };
}

/**
 * Embedded PostgreSQL. `dataDir` undefined keeps everything in memory (tests); otherwise the
 * cluster lives in that folder. PGlite is one connection: transactions are serialised by its
 * own mutex, so advisory locks are trivially held and never contended.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: parsers() });
  const base = wrap(pg);
  return {
    kind: 'pglite',
    connections: 1,
    query: base.query,
    exec: base.exec,
    copyFrom: base.copyFrom,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => pg.close(),
  };
}
