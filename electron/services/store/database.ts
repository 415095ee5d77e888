import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type SqliteDatabase = Database.Database;

/**
 * Opens (or creates) the local database with the settings the product relies on:
 * WAL so queue reads never wait on a sync write, synchronous=FULL so a committed answer
 * survives a power cut and not only a process crash, and foreign keys on.
 */
export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
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
