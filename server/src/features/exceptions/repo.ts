import type { ExceptionRecord } from '@shared/exception';
import { appendToFeed } from '../../db/change-feed';
import type { Queryable } from '../../db/types';
import type { AuthUser } from '../../auth/auth-user';
import {
  canonicalRecord,
  EXCEPTION_COLUMN_CASTS,
  EXCEPTION_COLUMNS,
  recordToParams,
  rowToRecord,
  type ExceptionRow,
} from './row-mapping';
import { exceptionRowCondition } from './scope';

// 28 parameters a row: 500 rows stay far below PostgreSQL's 65,535 bind parameters.
const INSERT_BATCH = 500;

/**
 * Inserts new exceptions and their change-feed rows in the caller's transaction: a record is
 * never visible to pullers without its feed entry, nor the other way round.
 */
export async function insertExceptions(tx: Queryable, records: readonly ExceptionRecord[]): Promise<void> {
  const canon = records.map(canonicalRecord);
  const width = EXCEPTION_COLUMNS.length;
  for (let start = 0; start < canon.length; start += INSERT_BATCH) {
    const chunk = canon.slice(start, start + INSERT_BATCH);
    const params: unknown[] = [];
    const tuples = chunk.map((r, i) => {
      params.push(...recordToParams(r));
      const cells = EXCEPTION_COLUMNS.map((col, c) => {
        const cast = EXCEPTION_COLUMN_CASTS[col];
        return `$${i * width + c + 1}${cast ? `::${cast}` : ''}`;
      });
      return `(${cells.join(', ')})`;
    });
    await tx.query(
      `INSERT INTO exceptions (${EXCEPTION_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
  await appendToFeed(
    tx,
    canon.map((r) => ({
      entity: 'exception',
      entityId: r.id,
      op: 'upsert',
      data: null,
      audience: r.assigneeId,
    })),
  );
}

export async function getException(
  db: Queryable,
  user: AuthUser,
  id: string,
): Promise<ExceptionRecord | null> {
  const scope = exceptionRowCondition(user, 'e', 2);
  const rows = await db.query<ExceptionRow>(
    `SELECT ${EXCEPTION_COLUMNS.join(', ')} FROM exceptions e WHERE id = $1 AND (${scope.sql})`,
    [id, ...scope.params],
  );
  return rows[0] ? rowToRecord(rows[0]) : null;
}

export async function countExceptions(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: string }>('SELECT count(*) AS n FROM exceptions');
  return Number(rows[0]?.n ?? 0);
}

/** Full records for these ids, in no particular order (callers already hold the rows locked or scoped). */
export async function loadExceptions(db: Queryable, ids: readonly string[]): Promise<ExceptionRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<ExceptionRow>(
    `SELECT ${EXCEPTION_COLUMNS.join(', ')} FROM exceptions WHERE id = ANY($1::text[])`,
    [[...ids]],
  );
  return rows.map(rowToRecord);
}
