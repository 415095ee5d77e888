import type { Queryable } from './types';

export interface FeedEntry {
  entity: 'exception';
  entityId: string;
  op: 'upsert' | 'delete';
  /** A payload for entities without their own table; null when the pull reads the entity's current row. */
  data: unknown;
  /**
   * The operator this row is for: the holder after the change (upsert), or the holder who lost
   * the item (delete). null = only readers who see every exception. Decided by callers from the
   * rules in features/exceptions/scope.ts.
   */
  audience: string | null;
}

/**
 * Appends to change_feed inside the caller's transaction, without a position: the row is
 * invisible to pullers until the sequencer (db/sequencer.ts) numbers it after the transaction
 * commits. No lock is taken here, so writers (get-next above all) commit in parallel; the old
 * design (a global lock held from the insert to COMMIT) serialised every writer and, measured with
 * 200 concurrent operators, left most transactions waiting on it (docs/ARCHITECTURE.md).
 * One statement for the whole batch.
 */
export async function appendToFeed(tx: Queryable, entries: readonly FeedEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO change_feed (entity, entity_id, op, data, audience)
     SELECT r.entity, r.entity_id, r.op, r.data, r.audience
     FROM jsonb_to_recordset($1::jsonb) AS r(entity text, entity_id text, op text, data jsonb, audience text, ord int)
     ORDER BY r.ord`,
    [
      JSON.stringify(
        entries.map((e, i) => ({
          entity: e.entity,
          entity_id: e.entityId,
          op: e.op,
          data: e.data,
          audience: e.audience,
          ord: i,
        })),
      ),
    ],
  );
}

/** pos / seq arrive as decimal strings (INT8); the wire uses a JSON number, exact up to 2^53. */
export function seqToNumber(seq: string): number {
  const n = Number(seq);
  if (!Number.isSafeInteger(n)) throw new RangeError(`change_feed position ${seq} exceeds 2^53`);
  return n;
}
