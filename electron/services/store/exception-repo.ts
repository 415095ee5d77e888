import type { Statement } from 'better-sqlite3';
import type { ExceptionRecord, ExceptionSummary } from '../../../shared/exception';
import { EXCEPTION_STATUSES, type ExceptionStatus } from '../../../shared/exception-status';
import type { QueueCounts, QueueSort } from '../../../shared/ipc/channels';
import type { SqliteDatabase } from './database';
import { exceptionRowParams } from './exception-row';
import { SORT_SQL, whereClause, type QueueFilter } from './queue-sql';

export interface QueuePageQuery extends QueueFilter {
  sort: QueueSort;
  offset: number;
  limit: number;
}

export interface ExceptionRepo {
  /** Inserts or replaces every record in one transaction (or inside the caller's). */
  upsertMany(records: readonly ExceptionRecord[]): void;
  /** Single-row writes for callers already inside a transaction. */
  upsert(record: ExceptionRecord): void;
  remove(id: string): void;
  /** The operator's own change before the server has seen it: status and updatedAt only. */
  setLocalStatus(id: string, status: ExceptionStatus, at: Date): boolean;
  deleteMany(ids: readonly string[]): void;
  page(query: QueuePageQuery): { rows: ExceptionSummary[]; total: number };
  counts(filter: Omit<QueueFilter, 'statuses'>): QueueCounts;
  get(id: string): ExceptionRecord | null;
  countAll(): number;
  clear(): void;
}

const COLUMNS =
  'id, type, status, channel, priority, sla_due, opened_at, updated_at, variance_amount, variance_currency, variance_sort_key, version, search_text';
const UPDATES = COLUMNS.split(', ')
  .filter((c) => c !== 'id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

const MAX_CACHED_STATEMENTS = 256;

/**
 * From this many rows into an empty table (a first sync, a re-sync after sign-in) the secondary
 * indexes are dropped and rebuilt after the load, inside the same transaction: building an
 * index from sorted rows is several times cheaper than updating eight B-trees row by row.
 */
export const BULK_LOAD_MIN_ROWS = 5_000;

export function createExceptionRepo(db: SqliteDatabase): ExceptionRepo {
  const upsertRow = db
    .prepare(
      `INSERT INTO exceptions (${COLUMNS}) VALUES (${COLUMNS.split(', ')
        .map(() => '?')
        .join(', ')}) ON CONFLICT (id) DO UPDATE SET ${UPDATES} RETURNING rid`,
    )
    .pluck();
  const upsertDocs = db.prepare<[number, string, string]>(
    `INSERT INTO exception_docs (rid, summary, evidence) VALUES (?, ?, ?)
     ON CONFLICT (rid) DO UPDATE SET summary = excluded.summary, evidence = excluded.evidence`,
  );
  // exception_docs goes with it (ON DELETE CASCADE).
  const deleteRow = db.prepare<[string]>('DELETE FROM exceptions WHERE id = ?');
  const selectOne = db.prepare<[string], { summary: string; evidence: string }>(
    `SELECT d.summary, d.evidence FROM exceptions e JOIN exception_docs d ON d.rid = e.rid WHERE e.id = ?`,
  );
  const selectSummaries = db
    .prepare<[string]>(
      'SELECT d.summary FROM json_each(?) AS p JOIN exception_docs AS d ON d.rid = p.value ORDER BY p.key',
    )
    .pluck();
  const setStatusRow = db
    .prepare<[string, number, string]>(
      'UPDATE exceptions SET status = ?, updated_at = ? WHERE id = ? RETURNING rid',
    )
    .pluck();
  const setStatusDoc = db.prepare<[string, string, number]>(
    `UPDATE exception_docs SET summary = json_set(summary, '$.status', ?, '$.updatedAt', ?) WHERE rid = ?`,
  );
  const countAllStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM exceptions');

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

  function upsert(r: ExceptionRecord): void {
    const { row, summary, evidence } = exceptionRowParams(r);
    const rid = upsertRow.get(row) as number;
    upsertDocs.run(rid, summary, evidence);
  }
  const isEmpty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM exceptions) AS empty').pluck();
  const secondaryIndexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'exceptions' AND sql IS NOT NULL`,
    )
    .bind();
  // Into an empty table with distinct ids nothing can conflict: plain inserts with the integer
  // key assigned here skip the conflict check and the RETURNING round trip.
  const insertRow = db.prepare(
    `INSERT INTO exceptions (rid, ${COLUMNS}) VALUES (${['rid', ...COLUMNS.split(', ')].map(() => '?').join(', ')})`,
  );
  const insertDocs = db.prepare<[number, string, string]>(
    'INSERT INTO exception_docs (rid, summary, evidence) VALUES (?, ?, ?)',
  );
  function bulkInsert(records: readonly ExceptionRecord[]): void {
    let rid = 0;
    for (const r of records) {
      const { row, summary, evidence } = exceptionRowParams(r);
      rid += 1;
      insertRow.run(rid, ...row);
      insertDocs.run(rid, summary, evidence);
    }
  }
  const upsertManyTx = db.transaction((records: readonly ExceptionRecord[]) => {
    const bulk = records.length >= BULK_LOAD_MIN_ROWS && isEmpty.get() === 1;
    const indexes = bulk ? (secondaryIndexes.all() as { name: string; sql: string }[]) : [];
    for (const i of indexes) db.exec(`DROP INDEX "${i.name.replaceAll('"', '""')}"`);
    if (bulk && new Set(records.map((r) => r.id)).size === records.length) bulkInsert(records);
    else for (const r of records) upsert(r);
    for (const i of indexes) db.exec(i.sql);
    // Fresh statistics let the planner pick the right index for multi-value filters.
    if (bulk) db.exec('PRAGMA analysis_limit = 1000; ANALYZE exceptions');
  });
  const deleteManyTx = db.transaction((ids: readonly string[]) => {
    for (const id of ids) deleteRow.run(id);
  });
  const clearTx = db.transaction(() => {
    db.prepare('DELETE FROM exception_docs').run();
    db.prepare('DELETE FROM exceptions').run();
  });

  return {
    upsertMany(records) {
      if (records.length) upsertManyTx(records);
    },
    upsert,
    remove(id) {
      deleteRow.run(id);
    },
    setLocalStatus(id, status, at) {
      const rid = setStatusRow.get(status, at.getTime(), id) as number | undefined;
      if (rid === undefined) return false;
      setStatusDoc.run(status, at.toISOString(), rid);
      return true;
    },
    deleteMany(ids) {
      if (ids.length) deleteManyTx(ids);
    },
    page(query) {
      const where = whereClause(query);
      // Order and page on the narrow table alone (often straight off an index), then fetch only
      // the page's documents, in that order.
      const rids = prepared(
        `SELECT rid FROM exceptions ${where.sql} ORDER BY ${SORT_SQL[query.sort]} LIMIT ? OFFSET ?`,
      )
        .pluck()
        .all(...where.params, query.limit, query.offset) as number[];
      const rows = rids.length ? (selectSummaries.all(JSON.stringify(rids)) as string[]) : [];
      const total = prepared(`SELECT COUNT(*) FROM exceptions ${where.sql}`)
        .pluck()
        .get(...where.params) as number;
      return { rows: rows.map((s) => JSON.parse(s) as ExceptionSummary), total };
    },
    counts(filter) {
      const where = whereClause({ ...filter, statuses: undefined });
      const found = prepared(`SELECT status, COUNT(*) AS n FROM exceptions ${where.sql} GROUP BY status`).all(
        ...where.params,
      ) as { status: ExceptionStatus; n: number }[];
      const counts = Object.fromEntries(EXCEPTION_STATUSES.map((s) => [s, 0])) as QueueCounts;
      for (const { status, n } of found) counts[status] = n;
      return counts;
    },
    get(id) {
      const row = selectOne.get(id);
      if (!row) return null;
      const summary = JSON.parse(row.summary) as ExceptionSummary;
      const evidence = JSON.parse(row.evidence) as ExceptionRecord['evidence'];
      return { ...summary, evidence };
    },
    countAll() {
      return countAllStmt.get()?.n ?? 0;
    },
    clear() {
      clearTx();
    },
  };
}
