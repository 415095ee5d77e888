import type { Statement } from 'better-sqlite3';
import type { Evidence, ExceptionSummary, LocalException } from '@shared/exception';
import { EXCEPTION_STATUSES, type ExceptionStatus } from '@shared/exception-status';
import type { QueueCounts, QueueSort } from '@shared/ipc/channels';
import type { SqliteDatabase } from './database';
import {
  DOC_COLUMNS,
  EXCEPTION_COLUMNS,
  SUMMARY_SELECT,
  exceptionDocParams,
  exceptionRowParams,
  partyTextOf,
  summaryOfRow,
  type ExceptionDocParams,
  type ExceptionRowParams,
  type SummaryRow,
} from './exception-row';
import {
  matchingRidsSql,
  orderBy,
  sortIndex,
  splitCountSql,
  splitWhereSql,
  whereClause,
  withPartyIds,
  type QueueFilter,
  type WhereClause,
} from './queue-sql';
import { CLEAR_SEARCH, createSearchAndIndexes, withRollbackJournal } from './bulk-load-indexes';

export interface QueuePageQuery extends QueueFilter {
  sort: QueueSort;
  /** The sort backwards (read off the same index in the other direction). */
  reverse?: boolean | undefined;
  offset: number;
  limit: number;
}

/**
 * What the store is given: a summary from the feed, or a record with its evidence (a lease, an
 * item fetched on open). Evidence given replaces the stored rows; evidence absent leaves them.
 */
export type IncomingException = ExceptionSummary & { readonly evidence?: readonly Evidence[] };

export interface ExceptionRepo {
  /** Inserts or replaces every record in one transaction (or inside the caller's). */
  upsertMany(records: readonly IncomingException[]): void;
  /** Single-row writes for callers already inside a transaction. */
  upsert(record: IncomingException): void;
  /** Keeps an exception's evidence rows; false when the exception is not stored here. */
  setEvidence(id: string, evidence: readonly Evidence[]): boolean;
  remove(id: string): void;
  /** The operator's own change before the server has seen it: status and updatedAt only. */
  setLocalStatus(id: string, status: ExceptionStatus, at: Date): boolean;
  deleteMany(ids: readonly string[]): void;
  page(query: QueuePageQuery): { rows: ExceptionSummary[]; total: number };
  counts(filter: Omit<QueueFilter, 'statuses'>): QueueCounts;
  get(id: string): LocalException | null;
  /** Other exceptions of the same partner account, newest first (the workspace's "related"). */
  related(id: string, limit: number): ExceptionSummary[];
  countAll(): number;
  clear(): void;
  /**
   * Drops the secondary indexes of the exception tables and the triggers that keep the search
   * index, and returns the SQL that makes them again and rebuilds the search index (for a first
   * sync: each index is then built once, from sorted rows, instead of updated row by row at
   * random places). Until then a search scans. Inside the caller's transaction.
   */
  dropSecondaryIndexes(keep?: readonly string[]): string[];
  /** Runs dropSecondaryIndexes' SQL and refreshes the planner's statistics. */
  restoreIndexes(sql: readonly string[]): void;
  /**
   * Runs one entry of dropSecondaryIndexes' SQL, bounded in time: the search index is built a
   * few thousand rows per call. Returns the entry that continues it, or null when it is done.
   */
  restoreIndexStep(statement: string): string | null;
}

const COLUMNS = EXCEPTION_COLUMNS.join(', ');
const DOCS = DOC_COLUMNS.join(', ');
type Tail<T extends readonly unknown[]> = T extends readonly [unknown, ...infer R] ? R : never;
const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

const MAX_CACHED_STATEMENTS = 256;

const FILTERS_INDEX = 'exceptions_filters';

/**
 * A first page read off a sort's index steps over the rows the filter drops: about
 * (offset + limit) x rows / total index entries. Sorting reads each match's row and sorts it,
 * several times the cost of stepping over an index entry; the cheaper of the two is taken.
 */
const SORT_STEP_COST = 4;
function sortAfterFilter(total: number, rows: number, wanted: number): boolean {
  return wanted * rows > SORT_STEP_COST * total * total;
}
/**
 * Reading a sort's index in order and checking each row's search (its party is in the row, not
 * the index) reads about wanted x rows / matches rows; checking against the set of matching ids
 * reads none but first collects every match. A row read costs a few times a set entry.
 */
const ROW_READ_COST = 4;
function walkRowByRow(matches: number, rows: number, wanted: number): boolean {
  return matches * matches > ROW_READ_COST * wanted * rows;
}

/**
 * From this many rows into an empty table (a first sync, a re-sync after sign-in) the secondary
 * indexes are dropped and rebuilt after the load, inside the same transaction: building an
 * index from sorted rows is several times cheaper than updating eight B-trees row by row.
 */
export const BULK_LOAD_MIN_ROWS = 5_000;

export function createExceptionRepo(db: SqliteDatabase): ExceptionRepo {
  // An upsert is an INSERT OR IGNORE, then an UPDATE when the row was there. One statement with
  // ON CONFLICT DO UPDATE costs two to three times as much for a new row: it may abort after
  // writing, so SQLite copies every page it touches into a statement journal first.
  const insertOrIgnoreRow = db.prepare<[...ExceptionRowParams, party: number]>(
    `INSERT OR IGNORE INTO exceptions (${COLUMNS}, party) VALUES (${placeholders(EXCEPTION_COLUMNS.length + 1)})`,
  );
  const updateRow = db
    .prepare<[...Tail<ExceptionRowParams>, party: number, id: string]>(
      `UPDATE exceptions SET ${EXCEPTION_COLUMNS.slice(1)
        .map((c) => `${c} = ?`)
        .join(', ')}, party = ? WHERE id = ? RETURNING rid`,
    )
    .pluck();
  const updateDocs = db.prepare<[...Tail<ExceptionDocParams>, rid: number]>(
    `UPDATE exception_docs SET ${DOC_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE rid = ?`,
  );
  // exception_docs goes with it (ON DELETE CASCADE).
  const deleteRow = db.prepare<[string]>('DELETE FROM exceptions WHERE id = ?');
  const selectOne = db.prepare<[string], SummaryRow & { evidence: string | null }>(
    `SELECT ${SUMMARY_SELECT}, v.evidence FROM exceptions e JOIN exception_docs d ON d.rid = e.rid
     LEFT JOIN exception_evidence v ON v.rid = e.rid WHERE e.id = ?`,
  );
  const putEvidence = db.prepare<[number, string]>(
    'INSERT OR REPLACE INTO exception_evidence (rid, evidence) VALUES (?, ?)',
  );
  const ridOf = db.prepare<[string], number>('SELECT rid FROM exceptions WHERE id = ?').pluck();
  const keepEvidence = (rid: number, evidence: readonly Evidence[]): void => {
    putEvidence.run(rid, JSON.stringify(evidence));
  };
  const selectSummaries = db.prepare<[string], SummaryRow>(
    `SELECT ${SUMMARY_SELECT} FROM json_each(?) AS p
     JOIN exceptions AS e ON e.rid = p.value JOIN exception_docs AS d ON d.rid = p.value ORDER BY p.key`,
  );
  const setStatusRow = db
    .prepare<[string, number, string]>(
      'UPDATE exceptions SET status = ?, updated_at = ? WHERE id = ? RETURNING rid',
    )
    .pluck();
  const setStatusDoc = db.prepare<[string, number]>(
    'UPDATE exception_docs SET updated_at_iso = ? WHERE rid = ?',
  );
  const selectRelated = db.prepare<[string, string, number], SummaryRow>(
    `SELECT ${SUMMARY_SELECT} FROM exception_docs d JOIN exceptions e ON e.rid = d.rid
     WHERE d.partner_account_id = (
       SELECT d2.partner_account_id FROM exceptions e2 JOIN exception_docs d2 ON d2.rid = e2.rid WHERE e2.id = ?)
       AND e.id <> ?
     ORDER BY e.opened_at DESC LIMIT ?`,
  );
  const countAllStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM exceptions');
  // rids only grow, so this bounds the row count at the cost of one index step, not a count.
  const maxRid = db.prepare('SELECT coalesce(max(rid), 0) FROM exceptions').pluck();
  const indexExists = db
    .prepare<[string]>(`SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?)`)
    .pluck();
  // A bulk load may have dropped an index for a while; INDEXED BY a missing one is an error.
  const indexedBy = (name: string | null): string =>
    name !== null && indexExists.get(name) === 1 ? `INDEXED BY ${name}` : '';

  // Filters produce a handful of distinct SQL shapes; preparing each once keeps a page read to
  // a bind + step.
  const cache = new Map<string, Statement<unknown[], unknown>>();
  function prepared(sql: string): Statement<unknown[], unknown> {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= MAX_CACHED_STATEMENTS) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      stmt = db.prepare<unknown[], unknown>(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }

  // A row's party (migration 10): found by its text, or added. `known` holds the ones already
  // found within one call (a transaction), never longer: a rolled-back addition must not stay.
  const selectParty = db.prepare<[string]>('SELECT id FROM search_parties WHERE text = ?').pluck();
  const insertParty = db.prepare<[string]>('INSERT INTO search_parties (text) VALUES (?)');
  function partyOf(r: ExceptionSummary, known?: Map<string, number>): number {
    const text = partyTextOf(r);
    let id = known?.get(text) ?? (selectParty.get(text) as number | undefined);
    if (id === undefined) {
      id = insertParty.run(text).lastInsertRowid as number;
      partyMatches.clear();
    }
    known?.set(text, id);
    return id;
  }

  // The parties a search matched, by the SQL and parameters that found them: a page and its
  // counts would otherwise run the same party search several times (a few ms for a broad term
  // matching thousands of parties). Emptied whenever a party is added or removed, so a cached
  // list never misses one (a rolled-back addition only leaves an id no row can name).
  const partyMatches = new Map<string, readonly number[]>();
  const MAX_PARTY_MATCHES = 32;
  function resolveParties(where: WhereClause): WhereClause {
    if (!where.split) return where;
    const key = JSON.stringify([where.split.parties, where.split.partyParams]);
    let ids = partyMatches.get(key);
    if (!ids) {
      ids = prepared(where.split.parties)
        .pluck()
        .all(...where.split.partyParams) as number[];
      if (partyMatches.size >= MAX_PARTY_MATCHES) partyMatches.clear();
      partyMatches.set(key, ids);
    }
    return { ...where, split: withPartyIds(where.split, ids) };
  }

  function upsert(r: IncomingException, known?: Map<string, number>): void {
    const row = exceptionRowParams(r);
    const party = partyOf(r, known);
    const inserted = insertOrIgnoreRow.run(...row, party);
    let rid: number;
    if (inserted.changes === 1) {
      rid = inserted.lastInsertRowid as number;
      insertDocs.run(...exceptionDocParams(rid, r));
    } else {
      const [id, ...rest] = row;
      const updated = updateRow.get(...rest, party, id) as number | undefined;
      // IGNORE also skips a NOT NULL violation; then there is no row to update either.
      if (updated === undefined) throw new Error(`exception ${id} could not be stored`);
      rid = updated;
      const [, ...docs] = exceptionDocParams(rid, r);
      updateDocs.run(...docs, rid);
    }
    if (r.evidence) keepEvidence(rid, r.evidence);
  }
  const { searchIndexed, dropSearchTriggers, dropSecondaryIndexes, restoreIndexes, restoreIndexStep } =
    createSearchAndIndexes(db);
  const isEmpty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM exceptions) AS empty').pluck();
  // Into an empty table with distinct ids nothing can conflict: plain inserts skip the conflict
  // check and the RETURNING round trip.
  const insertRow = db.prepare<[...ExceptionRowParams, party: number]>(
    `INSERT INTO exceptions (${COLUMNS}, party) VALUES (${placeholders(EXCEPTION_COLUMNS.length + 1)})`,
  );
  const insertDocs = db.prepare<ExceptionDocParams>(
    `INSERT INTO exception_docs (rid, ${DOCS}) VALUES (${placeholders(DOC_COLUMNS.length + 1)})`,
  );
  function bulkInsert(records: readonly IncomingException[]): void {
    const known = new Map<string, number>();
    for (const r of records) {
      const rid = insertRow.run(...exceptionRowParams(r), partyOf(r, known)).lastInsertRowid as number;
      insertDocs.run(...exceptionDocParams(rid, r));
      if (r.evidence) keepEvidence(rid, r.evidence);
    }
  }
  const upsertManyTx = db.transaction((records: readonly IncomingException[]) => {
    const bulk = records.length >= BULK_LOAD_MIN_ROWS && isEmpty.get() === 1;
    const indexes = bulk ? dropSecondaryIndexes() : [];
    if (bulk && new Set(records.map((r) => r.id)).size === records.length) bulkInsert(records);
    else {
      const known = new Map<string, number>();
      for (const r of records) upsert(r, known);
    }
    if (bulk) restoreIndexes(indexes);
  });
  const deleteManyTx = db.transaction((ids: readonly string[]) => {
    for (const id of ids) deleteRow.run(id);
  });
  const clearTx = db.transaction(() => {
    // Emptied at once rather than one row's trigrams at a time by the delete trigger.
    const triggers = dropSearchTriggers();
    db.prepare('DELETE FROM exception_evidence').run();
    db.prepare('DELETE FROM exception_docs').run();
    db.prepare('DELETE FROM exceptions').run();
    db.prepare('DELETE FROM search_parties').run();
    partyMatches.clear();
    db.exec(CLEAR_SEARCH);
    for (const sql of triggers) db.exec(sql);
  });

  return {
    upsertMany(records) {
      if (records.length === 0) return;
      if (records.length >= BULK_LOAD_MIN_ROWS && !db.inTransaction && isEmpty.get() === 1) {
        withRollbackJournal(db, () => upsertManyTx.immediate(records));
      } else upsertManyTx(records);
    },
    upsert: (record) => upsert(record),
    setEvidence(id, evidence) {
      const rid = ridOf.get(id) as number | undefined;
      if (rid === undefined) return false;
      keepEvidence(rid, evidence);
      return true;
    },
    remove(id) {
      deleteRow.run(id);
    },
    setLocalStatus(id, status, at) {
      const rid = setStatusRow.get(status, at.getTime(), id) as number | undefined;
      if (rid === undefined) return false;
      setStatusDoc.run(at.toISOString(), rid);
      return true;
    },
    deleteMany(ids) {
      if (ids.length) deleteManyTx(ids);
    },
    page(query) {
      const where = resolveParties(whereClause(query, searchIndexed.get() === 1));
      const split = where.split ? splitCountSql(where.split, null) : null;
      const total = split
        ? (prepared(split.sql).all(...split.params) as { n0: number }[]).reduce((t, r) => t + r.n0, 0)
        : (prepared(`SELECT COUNT(*) FROM exceptions ${where.sql}`)
            .pluck()
            .get(...where.params) as number);
      if (total <= query.offset) return { rows: [], total };
      // Order and page on the narrow table alone (off the sort's index, or sorting the few rows
      // a narrow filter keeps), then fetch only the page's documents, in that order.
      const rowCount = maxRid.get() as number;
      const wanted = query.offset + query.limit;
      const sortAfter = where.sql !== '' && sortAfterFilter(total, rowCount, wanted);
      const hint = sortAfter || where.sql === '' ? '' : indexedBy(sortIndex(query.sort, query));
      // A search that keeps few rows is checked against the set of its rows' ids (from the
      // index entry), one that keeps many row by row (the first page stops after its rows).
      let condition = { sql: where.sql, params: where.params };
      if (where.split && walkRowByRow(total, rowCount, wanted)) condition = splitWhereSql(where.split);
      else if (where.split) {
        const rids = matchingRidsSql(where.split);
        condition = {
          sql: `WHERE ${[...where.split.filters, rids.sql].join(' AND ')}`,
          params: [...where.split.filterParams, ...rids.params],
        };
      }
      const rids = prepared(
        `SELECT rid FROM exceptions ${hint} ${condition.sql} ORDER BY ${orderBy(query.sort, sortAfter, query.reverse === true)} LIMIT ? OFFSET ?`,
      )
        .pluck()
        .all(...condition.params, query.limit, query.offset) as number[];
      const rows = rids.length ? selectSummaries.all(JSON.stringify(rids)) : [];
      return { rows: rows.map(summaryOfRow), total };
    },
    counts(filter) {
      const where = resolveParties(
        whereClause({ ...filter, statuses: undefined }, searchIndexed.get() === 1),
      );
      const counts = Object.fromEntries(EXCEPTION_STATUSES.map((s) => [s, 0])) as QueueCounts;
      let found: { status: ExceptionStatus; n: number }[];
      if (where.split) {
        const split = splitCountSql(where.split, EXCEPTION_STATUSES);
        const parts = prepared(split.sql).all(...split.params) as Record<string, number>[];
        found = parts.flatMap((part) =>
          EXCEPTION_STATUSES.map((status, i) => ({ status, n: part[`n${i}`] ?? 0 })),
        );
      } else {
        // In status order and holding every filter column: counted without a row read or a sort.
        const hint = where.searchIndexed ? '' : indexedBy(FILTERS_INDEX);
        found = prepared(
          `SELECT status, COUNT(*) AS n FROM exceptions ${hint} ${where.sql} GROUP BY status`,
        ).all(...where.params) as { status: ExceptionStatus; n: number }[];
      }
      for (const { status, n } of found) counts[status] += n;
      return counts;
    },
    get(id) {
      const row = selectOne.get(id);
      if (!row) return null;
      // Schema-checked when it arrived; stored as sent.
      return {
        ...summaryOfRow(row),
        evidence: row.evidence === null ? null : (JSON.parse(row.evidence) as Evidence[]),
      };
    },
    related(id, limit) {
      return selectRelated.all(id, id, limit).map(summaryOfRow);
    },
    countAll() {
      return countAllStmt.get()?.n ?? 0;
    },
    clear() {
      clearTx();
    },
    dropSecondaryIndexes,
    restoreIndexes,
    restoreIndexStep,
  };
}
