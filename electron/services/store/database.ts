import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_SCHEMA_VERSION, migrate, StoreTooNewError } from './migrations';

export type SqliteDatabase = Database.Database;

/** SQLite says the file is not a sound database; store/recovery.ts moves it aside and rebuilds. */
export class StoreDamagedError extends Error {
  constructor(readonly detail: string) {
    super(`the local database is damaged (${detail})`);
    this.name = 'StoreDamagedError';
  }
}

const DAMAGE_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
]);

/** Whether an error is SQLite reporting a damaged file (as opposed to busy, full, permissions). */
export function isDamage(err: unknown): boolean {
  return err instanceof Database.SqliteError && DAMAGE_CODES.has(err.code);
}

/**
 * Read-only checks before anything writes: a file from a newer app stays exactly as it was (no
 * journal-mode switch, no migration), and a damaged one is reported as such, not as a crash later.
 */
function checkBeforeUse(db: SqliteDatabase): void {
  let version: number;
  let problems: string[];
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) throw new StoreTooNewError(version);
    // quick_check reads every page once (O(file), not the O(n log n) of integrity_check); a new
    // file has none.
    problems =
      version === 0
        ? []
        : (db.pragma('quick_check') as { quick_check: string }[])
            .map((r) => r.quick_check)
            .filter((r) => r !== 'ok');
  } catch (err) {
    if (isDamage(err)) throw new StoreDamagedError(err instanceof Error ? err.message : String(err));
    throw err;
  }
  if (problems.length > 0) throw new StoreDamagedError(`quick_check: ${problems.slice(0, 3).join('; ')}`);
}

/**
 * Opens (or creates) the local database with the settings the product relies on:
 * WAL so queue reads never wait on a sync write, synchronous=FULL so a committed answer
 * survives a power cut and not only a process crash, and foreign keys on.
 */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    if (file !== ':memory:') checkBeforeUse(db);
    // Set before the first table exists (a no-op afterwards): an exception's documents are about
    // 2 KB, and at the 4 KB default most pages would hold one row and half a page of air.
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Bigger page cache keeps the queue indexes hot at 100k rows (negative = KiB).
    db.pragma('cache_size = -32000');
    db.pragma('temp_store = MEMORY');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * For a bulk load into an empty table: a rollback journal does not journal new pages appended
 * past the end of the file, so the data is written once, where WAL writes it twice (the log,
 * then the checkpoint into the file). With synchronous=FULL a commit is as durable as in WAL
 * mode (power cut included). Switching needs the only connection, which the app's is; false
 * when another holds the file, and the load simply runs in WAL mode. `toWal` switches back.
 */
export function toRollbackJournal(db: SqliteDatabase): boolean {
  try {
    return db.pragma('journal_mode = TRUNCATE', { simple: true }) === 'truncate';
  } catch {
    return false; // busy: stay in WAL
  }
}

export function toWal(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
}
