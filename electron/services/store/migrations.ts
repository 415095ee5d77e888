import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/migration';

export { MIGRATIONS, type Migration };

/**
 * Numbered migrations (migrations/, one file each), applied in order inside one transaction
 * each; `PRAGMA user_version` records the last one applied.
 */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export class StoreTooNewError extends Error {
  constructor(found: number) {
    super(
      `the local database has schema version ${found}, newer than this app knows (${LATEST_SCHEMA_VERSION}); update the app`,
    );
    this.name = 'StoreTooNewError';
  }
}

/** Applies every migration above the file's `user_version`; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) throw new StoreTooNewError(current);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    // user_version is written inside the same transaction, so a crash leaves either the old
    // schema with the old number or the new schema with the new one.
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
