import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_SORTS } from '@shared/ipc/queue-channels';
import { openDatabase, type SqliteDatabase } from '../../electron/services/store/database';
import { createExceptionRepo, type ExceptionRepo } from '../../electron/services/store/exception-repo';
import { createLeaseRepo } from '../../electron/services/store/lease-repo';
import { MIGRATIONS, migrate } from '../../electron/services/store/migrations';
import { sortIndex } from '../../electron/services/store/queue-sql';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('query-plans');
afterAll(() => tmp.remove());

/** The indexes the migrations leave on `exceptions`, found by running them (not named again here). */
function migrationIndexes(): Set<string> {
  const db = new Database(':memory:');
  try {
    migrate(db, MIGRATIONS);
    return new Set(
      db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exceptions' AND sql IS NOT NULL`,
        )
        .pluck()
        .all() as string[],
    );
  } finally {
    db.close();
  }
}

/** The database with every statement text a repository prepares recorded, in order. */
function recording(db: SqliteDatabase): { db: SqliteDatabase; prepared: string[] } {
  const prepared: string[] = [];
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare')
        return (sql: string) => {
          prepared.push(sql);
          return target.prepare(sql);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, prepared };
}

/** How each step of the statement's plan reads `exceptions` (alias e or none). */
function exceptionReads(db: SqliteDatabase, sql: string): string[] {
  const slots = (sql.match(/\?/g) ?? []).length;
  const named = /@\w+/.test(sql) ? [{ user: 'u', now: 0, goal: 0, types: null }] : [];
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...named, ...Array<null>(slots).fill(null)) as {
    detail: string;
  }[];
  return plan.map((p) => p.detail).filter((d) => /^(SCAN|SEARCH) (e|exceptions)\b/.test(d));
}

const indexOf = (read: string): string | null => /USING (?:COVERING )?INDEX (\w+)/.exec(read)?.[1] ?? null;

describe('query plans of the desktop store', () => {
  let db: SqliteDatabase;
  let exceptions: ExceptionRepo;
  let prepared: string[];
  const indexes = migrationIndexes();

  beforeAll(() => {
    const raw = openDatabase(tmp.path('plans.sqlite'));
    ({ db, prepared } = recording(raw));
    exceptions = createExceptionRepo(db);
    createLeaseRepo(db);
    exceptions.upsertMany(Array.from({ length: 20 }, (_, i) => makeException(i + 1)));
    raw.exec('ANALYZE');
  });
  afterAll(() => db?.close());

  it.each(QUEUE_SORTS)('reads a queue page sorted by %s off the index its migration made', (sort) => {
    const before = prepared.length;
    exceptions.page({ sort, offset: 0, limit: 50 });
    const pageSql = prepared.slice(before).find((s) => s.startsWith('SELECT rid FROM exceptions'));
    const wanted = sortIndex(sort, {});
    expect(wanted !== null && indexes.has(wanted), `${wanted} is made by a migration`).toBe(true);
    const reads = exceptionReads(db, pageSql!);
    expect(reads.map(indexOf)).toEqual([wanted]);
  });

  it('reads a one-status queue page through an index, never the whole table', () => {
    const before = prepared.length;
    exceptions.page({ sort: 'priority_sla', statuses: ['open'], offset: 0, limit: 50 });
    const pageSql = prepared.slice(before).find((s) => s.startsWith('SELECT rid FROM exceptions'));
    const used = exceptionReads(db, pageSql!).map(indexOf);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(indexes.has(name ?? ''), `${name} is made by a migration`).toBe(true);
  });

  it('serves the offline get-next from one index range per (status, band, priority)', () => {
    const nextSql = prepared.find((s) => s.startsWith('WITH cand AS'));
    const reads = exceptionReads(db, nextSql!);
    // Two statuses x three bands x five priorities, each a SEARCH of a migration's index.
    expect(reads).toHaveLength(30);
    for (const read of reads) {
      expect(read).toMatch(/^SEARCH e USING/);
      expect(indexes.has(indexOf(read) ?? ''), read).toBe(true);
    }
  });
});
