import { LOCK_CHANGE_FEED } from './locks';
import type { Queryable } from './types';

export interface FeedEntry {
  entity: 'exception';
  entityId: string;
  op: 'upsert' | 'delete';
  /** A payload for entities without their own table; null when the pull reads the entity's current row. */
  data: unknown;
}

const BATCH = 1000;

/**
 * Appends to change_feed inside the caller's transaction. The transaction-scoped advisory lock
 * serialises feed writers until they commit, so a row with a higher seq can never become
 * visible before one with a lower seq: a puller that has read up to N will never later find a
 * new row below N. The price is that feed writers commit one at a time; keep feed-writing
 * transactions short.
 */
export async function appendToFeed(tx: Queryable, entries: readonly FeedEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_CHANGE_FEED]);
  for (let start = 0; start < entries.length; start += BATCH) {
    const chunk = entries.slice(start, start + BATCH);
    const params: unknown[] = [];
    const values = chunk.map((e) => {
      params.push(e.entity, e.entityId, e.op, e.data === null ? null : JSON.stringify(e.data));
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    await tx.query(
      `INSERT INTO change_feed (entity, entity_id, op, data) VALUES ${values.join(', ')}`,
      params,
    );
  }
}

/** seq arrives as a decimal string (INT8); the wire uses a JSON number, exact up to 2^53. */
export function seqToNumber(seq: string): number {
  const n = Number(seq);
  if (!Number.isSafeInteger(n)) throw new RangeError(`change_feed seq ${seq} exceeds 2^53`);
  return n;
}
