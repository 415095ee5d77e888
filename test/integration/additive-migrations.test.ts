import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  MIGRATIONS as LOCAL_MIGRATIONS,
  migrate as migrateLocal,
  type Migration as LocalMigration,
} from '../../electron/services/store/migrations';
import { migrate as migrateServer } from '../../server/src/db/migrate';
import {
  MIGRATIONS as SERVER_MIGRATIONS,
  type Migration as ServerMigration,
} from '../../server/src/db/migrations/index';
import { openDatabase } from '../../server/src/db/open';
import type { Database as ServerDatabase } from '../../server/src/db/types';
import { nonAdditiveChanges, snapshotOf, type SchemaSnapshot } from '../support/schema-snapshot';

/**
 * Issue 10 item 9: from this release on, local (SQLite) and server (PostgreSQL) migrations only
 * add. Offline desks run older app versions for days against newer servers, and a server may be
 * rolled back: a dropped, renamed or retyped column breaks whoever still expects it. The real
 * chains run migration by migration and the schema after each is compared with the one before.
 *
 * Migrations up to these versions shipped before the rule (some rebuilt tables on purpose).
 */
const LOCAL_ADDITIVE_FROM = 7;
const SERVER_ADDITIVE_FROM = 5;

function localSnapshot(db: Database.Database): SchemaSnapshot {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  return snapshotOf(
    tables.flatMap((table) =>
      (db.pragma(`table_info(${table})`) as { name: string; type: string }[]).map((c) => ({
        table,
        column: c.name,
        type: c.type.toUpperCase(),
      })),
    ),
  );
}

/** The problems of each migration from `from` on, in a fresh database, by version. */
function localChain(migrations: readonly LocalMigration[], from: number): Record<number, string[]> {
  const db = new Database(':memory:');
  const found: Record<number, string[]> = {};
  try {
    for (let i = 0; i < migrations.length; i += 1) {
      const m = migrations[i]!;
      const before = localSnapshot(db);
      migrateLocal(db, migrations.slice(0, i + 1));
      if (m.version >= from) found[m.version] = nonAdditiveChanges(before, localSnapshot(db));
    }
  } finally {
    db.close();
  }
  return found;
}

async function serverSnapshot(db: ServerDatabase): Promise<SchemaSnapshot> {
  const rows = await db.query<{ table: string; column: string; type: string }>(
    `SELECT n.nspname || '.' || c.relname AS table, a.attname AS column,
            format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
  );
  return snapshotOf(rows);
}

async function serverChain(
  migrations: readonly ServerMigration[],
  from: number,
): Promise<Record<number, string[]>> {
  const db = await openDatabase({});
  const found: Record<number, string[]> = {};
  try {
    for (let i = 0; i < migrations.length; i += 1) {
      const m = migrations[i]!;
      const before = await serverSnapshot(db);
      await migrateServer(db, migrations.slice(0, i + 1));
      if (m.version >= from) found[m.version] = nonAdditiveChanges(before, await serverSnapshot(db));
    }
  } finally {
    await db.close();
  }
  return found;
}

const onlyProblems = (found: Record<number, string[]>): Record<number, string[]> =>
  Object.fromEntries(Object.entries(found).filter(([, p]) => p.length > 0));

describe('migrations are additive from this release on', () => {
  it('local (SQLite): every migration from version 7 only adds', () => {
    expect(onlyProblems(localChain(LOCAL_MIGRATIONS, LOCAL_ADDITIVE_FROM))).toEqual({});
  });

  it('would catch the table rebuilds shipped before the rule (local 3 and 6)', () => {
    const found = onlyProblems(localChain(LOCAL_MIGRATIONS, 1));
    expect(found[3]).toContain('column exception_docs.summary was dropped or renamed');
    expect(found[6]).toEqual(['column exception_docs.evidence was dropped or renamed']);
  });

  it('server (PostgreSQL on PGlite): every migration from 0005 only adds; a bad one is caught', async () => {
    // One run of the real chain (PGlite is slow to start), with a non-additive migration after it.
    const latest = SERVER_MIGRATIONS[SERVER_MIGRATIONS.length - 1]!.version;
    const bad: ServerMigration = {
      version: latest + 1,
      name: 'not additive',
      sql: `ALTER TABLE users RENAME COLUMN display_name TO full_name;
            ALTER TABLE users ALTER COLUMN username TYPE varchar(80);
            DROP TABLE server_settings;`,
    };
    const found = await serverChain([...SERVER_MIGRATIONS, bad], SERVER_ADDITIVE_FROM);
    expect(found[bad.version]?.sort()).toEqual(
      [
        'table public.server_settings was dropped or renamed',
        'column public.users.username changed type: text -> character varying(80)',
        'column public.users.display_name was dropped or renamed',
      ].sort(),
    );
    delete found[bad.version];
    expect(onlyProblems(found)).toEqual({});
  });
});
