import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { openDatabase, StoreDamagedError, type SqliteDatabase } from './database';
import { openLocalStore, type LocalStore } from './local-store';

/** What start-up did with a damaged local database; the renderer shows `message`. */
export interface StoreRecovery {
  /** Where the damaged file now is (never deleted: support may want it). */
  movedTo: string;
  /** What SQLite reported. */
  reason: string;
  /** Unsent changes and checklist drafts read back from it into the new store. */
  outbox: number;
  drafts: number;
  message: string;
}

/**
 * Settings worth carrying over: who this install is on the push protocol, who is signed in to
 * which server, and the operator's preferences. Never cursors, caches or revisions: the new store
 * is empty, and they would make the first sync skip what it must reload.
 */
const KEPT_SETTINGS = [
  'sync.clientId',
  'session',
  'session.dataOwner',
  'work.prefetchCount',
  'work.slaGoalWindowSeconds',
];

type Row = Record<string, unknown>;

/**
 * Opens the local store; when SQLite reports the file damaged, moves it (and its WAL) aside
 * under a timestamped name, salvages the unsent outbox and the checklist drafts where their pages
 * are readable, and starts a new store with them, which the normal first sync fills from the
 * server. Any other failure (a newer app's file, a locked file, a full disk) is thrown as is.
 */
export function openLocalStoreWithRecovery(
  file: string,
  now: () => Date = () => new Date(),
): { store: LocalStore; recovery: StoreRecovery | null } {
  try {
    return { store: openLocalStore(file), recovery: null };
  } catch (err) {
    if (!(err instanceof StoreDamagedError)) throw err;
    const movedTo = moveAside(file, now());
    const kept = salvageInto(movedTo, file);
    const recovery: StoreRecovery = {
      movedTo,
      reason: err.detail,
      ...kept,
      message:
        `Your local database was damaged; ${kept.outbox} unsent result${kept.outbox === 1 ? '' : 's'} ` +
        `and ${kept.drafts} draft${kept.drafts === 1 ? ' was' : 's were'} kept; ` +
        `the rest is being reloaded from the server. The damaged file was kept as ${movedTo}.`,
    };
    return { store: openLocalStore(file), recovery };
  }
}

function moveAside(file: string, at: Date): string {
  const movedTo = `${file}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;
  // The WAL may hold the newest committed pages: it moves with the file, under the name SQLite
  // looks for, so the salvage reads them too.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  }
  renameSync(file, movedTo);
  return movedTo;
}

function salvageInto(damaged: string, file: string): { outbox: number; drafts: number } {
  const source = openForSalvage(damaged);
  if (!source) return { outbox: 0, drafts: 0 };
  const target = openDatabase(file);
  try {
    const outbox = readable(source, 'outbox', 'seq').map((r) =>
      r.state === 'sending' ? { ...r, state: 'pending' } : r,
    );
    const drafts = readable(source, 'checklists', 'user_id, exception_id');
    const settings = KEPT_SETTINGS.flatMap((key) => {
      try {
        const value = source.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key);
        return value === undefined ? [] : [{ key, value }];
      } catch {
        return [];
      }
    });
    let highWater = 0;
    try {
      const seq = source.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).pluck().get();
      highWater = typeof seq === 'number' ? seq : 0;
    } catch {
      // unreadable: the salvaged rows' own seqs are the floor
    }
    return target
      .transaction(() => {
        const kept = {
          outbox: insertRows(target, 'outbox', outbox),
          drafts: insertRows(target, 'checklists', drafts),
        };
        insertRows(target, 'settings', settings);
        // The server expects this client's seqs to keep rising: continue after the old ones, even
        // those already acknowledged and gone from the outbox.
        const floor = Math.max(highWater, ...outbox.map((r) => Number(r.seq)).filter(Number.isFinite), 0);
        target.prepare(`DELETE FROM sqlite_sequence WHERE name = 'outbox'`).run();
        target.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)`).run(floor);
        return kept;
      })
      .immediate();
  } finally {
    source.close();
    target.close();
  }
}

/**
 * Read-only when SQLite can (a WAL file needs its -shm to be read that way); else read-write,
 * which at most replays the moved WAL into the moved file. Null when it cannot be opened at all.
 */
function openForSalvage(file: string): SqliteDatabase | null {
  for (const readonly of [true, false]) {
    try {
      const db = new Database(file, { readonly, fileMustExist: true });
      try {
        db.prepare('SELECT count(*) FROM sqlite_master').get();
        return db;
      } catch (err) {
        db.close();
        if (!readonly) throw err;
      }
    } catch {
      if (!readonly) return null;
    }
  }
  return null;
}

/**
 * The rows of a table that can still be read: a scan forward by key stops at the first damaged
 * page and one backward reads from the other end up to it, so only the rows on damaged pages are
 * lost. Deduplicated by key.
 */
function readable(db: SqliteDatabase, table: string, key: string): Row[] {
  const rows = new Map<string, Row>();
  const keyOf = (r: Row): string => JSON.stringify(key.split(', ').map((k) => r[k]));
  const desc = key
    .split(', ')
    .map((k) => `${k} DESC`)
    .join(', ');
  for (const order of [key, desc]) {
    try {
      for (const r of db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).iterate() as Iterable<Row>) {
        rows.set(keyOf(r), r);
      }
    } catch {
      // a damaged page (or the table's root): keep what was read
    }
  }
  return [...rows.values()];
}

/** Inserts rows into a table of the new schema, with the columns both schemas have. */
function insertRows(db: SqliteDatabase, table: string, rows: readonly Row[]): number {
  if (rows.length === 0) return 0;
  const columns = (db.pragma(`table_info(${table})`) as { name: string }[])
    .map((c) => c.name)
    .filter((c) => c in (rows[0] ?? {}));
  const insert = db.prepare(
    `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
  let n = 0;
  for (const r of rows) {
    const params: Row = {};
    for (const c of columns) params[c] = r[c] ?? null;
    n += insert.run(params).changes;
  }
  return n;
}
