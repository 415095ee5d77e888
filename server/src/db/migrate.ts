import { LOCK_MIGRATIONS } from './locks';
import { MIGRATIONS, type Migration } from './migrations/index';
import type { Database } from './types';

export interface MigrationResult {
  applied: number[];
  schemaVersion: number;
}

/** A database migrated by a newer server: this one would misread it, so it refuses to start. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database has schema version ${found}, newer than this server knows (${known}); run a server of that release or newer`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/**
 * Applies pending migrations in one transaction under a transaction-scoped advisory lock, so
 * two server processes starting on one database take turns and the second finds nothing to do.
 * All pending migrations commit together or not at all. (A future migration that cannot run in
 * a transaction, e.g. CREATE INDEX CONCURRENTLY, needs its own path.) A database some newer
 * server migrated further is refused (DatabaseTooNewError), as the desktop refuses a newer store.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_MIGRATIONS]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const found = Math.max(0, ...done);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (found > known) throw new DatabaseTooNewError(found, known);
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return { applied, schemaVersion: Math.max(0, ...done, ...applied) };
  });
}

export async function schemaVersion(db: Database): Promise<number> {
  const rows = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return rows[0]?.v ?? 0;
}
