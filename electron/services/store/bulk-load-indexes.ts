import { toRollbackJournal, toWal, type SqliteDatabase } from './database';

/**
 * The exceptions' secondary indexes and search index around a bulk load: dropped before a first
 * sync writes its rows and built once afterwards (all at once, or one step per transaction so the
 * bridge keeps answering), with the search triggers back last.
 */
const SEARCH_INSERT_TRIGGER = 'exceptions_search_insert';
const REBUILD_SEARCH = `INSERT INTO exception_search (exception_search) VALUES ('rebuild')`;
/**
 * A deferred search-index build, as an entry of the deferred-index list: the rows after `rid`
 * are still to be indexed. A first sync builds it in steps of SEARCH_BUILD_ROWS (one FTS5
 * 'rebuild' of 100k rows held the thread for 1.4 s on the dev VM, a 2,000-row step 25-100 ms); anything that builds
 * all at once turns it into that one 'rebuild'. Being an SQL comment, it is harmless if run.
 */
const SEARCH_BUILD_STEP = '-- search index: rows after rid ';
const SEARCH_BUILD_ROWS = 2_000;
export const CLEAR_SEARCH = `INSERT INTO exception_search (exception_search) VALUES ('delete-all')`;

export function createSearchAndIndexes(db: SqliteDatabase) {
  // The triggers that keep exception_search (migration 7) in step with exceptions.search_text;
  // dropped, with the index left stale, while a bulk load defers it.
  const searchTriggers = db
    .prepare(
      `SELECT name, sql FROM sqlite_master
       WHERE type = 'trigger' AND tbl_name = 'exceptions' AND name LIKE 'exceptions\\_search\\_%' ESCAPE '\\'`,
    )
    .bind();
  const searchIndexed = db
    .prepare(`SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?)`)
    .pluck()
    .bind(SEARCH_INSERT_TRIGGER);
  const dropSearchTriggers = (): string[] => {
    const triggers = searchTriggers.all() as { name: string; sql: string }[];
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name.replaceAll('"', '""')}"`);
    return triggers.map((t) => t.sql);
  };
  // A bulk load drops the secondary indexes of both tables and builds each once at the end (one
  // sort), instead of inserting 100k entries into each B-tree at random places.
  const secondaryIndexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master
       WHERE type = 'index' AND tbl_name IN ('exceptions', 'exception_docs', 'exception_evidence')
         AND sql IS NOT NULL`,
    )
    .bind();
  function dropSecondaryIndexes(keep: readonly string[] = []): string[] {
    const indexes = (secondaryIndexes.all() as { name: string; sql: string }[]).filter(
      (i) => !keep.includes(i.name),
    );
    for (const i of indexes) db.exec(`DROP INDEX "${i.name.replaceAll('"', '""')}"`);
    const triggers = dropSearchTriggers();
    // One pass over the loaded rows builds the search index (its terms sorted in memory), far
    // cheaper than a trigger adding each row's trigrams as it arrives.
    // The triggers come back last: until then a search scans (searchIndexed), and rows added
    // meanwhile get higher rids, so a later step still indexes them.
    return [...indexes.map((i) => i.sql), ...(triggers.length ? [`${SEARCH_BUILD_STEP}0`] : []), ...triggers];
  }
  function restoreIndexes(sql: readonly string[]): void {
    for (const statement of sql)
      db.exec(statement.startsWith(SEARCH_BUILD_STEP) ? REBUILD_SEARCH : statement);
    // Fresh statistics let the planner pick the right index for multi-value filters.
    db.exec('PRAGMA analysis_limit = 1000; ANALYZE exceptions');
  }
  const lastRidOfStep = db
    .prepare<[number, number], number | null>(
      'SELECT max(rid) FROM (SELECT rid FROM exceptions WHERE rid > ? ORDER BY rid LIMIT ?)',
    )
    .pluck();
  const indexSearchRows = db.prepare<[number, number]>(
    `INSERT INTO exception_search (rowid, search_text)
     SELECT rid, search_text FROM exceptions WHERE rid > ? AND rid <= ?`,
  );
  function restoreIndexStep(statement: string): string | null {
    if (!statement.startsWith(SEARCH_BUILD_STEP)) {
      db.exec(statement);
      return null;
    }
    const after = Number(statement.slice(SEARCH_BUILD_STEP.length));
    if (after === 0) db.exec(CLEAR_SEARCH);
    const last = lastRidOfStep.get(after, SEARCH_BUILD_ROWS) ?? null;
    if (last === null) return null;
    indexSearchRows.run(after, last);
    return `${SEARCH_BUILD_STEP}${last}`;
  }
  return { searchIndexed, dropSearchTriggers, dropSecondaryIndexes, restoreIndexes, restoreIndexStep };
}

/** A bulk load into an empty table writes its data once (database.ts, toRollbackJournal). */
export function withRollbackJournal(db: SqliteDatabase, load: () => void): void {
  const switched = toRollbackJournal(db);
  try {
    load();
  } finally {
    if (switched) toWal(db);
  }
}
