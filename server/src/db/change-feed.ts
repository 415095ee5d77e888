import { LOCK_CHANGE_FEED } from './locks';
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

/** The NOTIFY channel that tells every server process (and so every SSE client) to look. */
export const FEED_CHANNEL = 'ledgerdesk_feed';

/** Operator ids listed in one notification at most; beyond it the payload says "everyone". */
const MAX_NOTIFY_USERS = 200;

export interface FeedNotice {
  seq: number;
  /** Operators concerned, or null when too many to list (every listener should look). */
  users: string[] | null;
}

/**
 * Appends to change_feed inside the caller's transaction. The transaction-scoped advisory lock
 * serialises feed writers until they commit, so a row with a higher seq can never become
 * visible before one with a lower seq: a puller that has read up to N will never later find a
 * new row below N. The price is that feed writers commit one at a time; keep feed-writing
 * transactions short (measured: bench/get-next.ts, docs/ARCHITECTURE.md).
 *
 * One statement for the whole batch (jsonb_to_recordset), and a NOTIFY that PostgreSQL delivers
 * only when the transaction commits, to every server process listening on FEED_CHANNEL.
 */
export async function appendToFeed(tx: Queryable, entries: readonly FeedEntry[]): Promise<number | null> {
  if (entries.length === 0) return null;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_CHANGE_FEED]);
  const rows = await tx.query<{ last: string | null }>(
    `WITH ins AS (
       INSERT INTO change_feed (entity, entity_id, op, data, audience)
       SELECT r.entity, r.entity_id, r.op, r.data, r.audience
       FROM jsonb_to_recordset($1::jsonb)
         AS r(entity text, entity_id text, op text, data jsonb, audience text, ord bigint)
       ORDER BY r.ord
       RETURNING seq)
     SELECT max(seq) AS last FROM ins`,
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
  const last = rows[0]?.last;
  if (!last) throw new Error('change_feed insert returned no seq');
  const seq = seqToNumber(last);
  const users = [...new Set(entries.map((e) => e.audience).filter((a): a is string => a !== null))];
  const notice: FeedNotice = { seq, users: users.length > MAX_NOTIFY_USERS ? null : users };
  await tx.query('SELECT pg_notify($1, $2)', [FEED_CHANNEL, JSON.stringify(notice)]);
  return seq;
}

/** seq arrives as a decimal string (INT8); the wire uses a JSON number, exact up to 2^53. */
export function seqToNumber(seq: string): number {
  const n = Number(seq);
  if (!Number.isSafeInteger(n)) throw new RangeError(`change_feed seq ${seq} exceeds 2^53`);
  return n;
}
