import type { Change } from '../../../../shared/api/sync';
import type { AuthUser } from '../../auth/auth-user';
import { seqToNumber } from '../../db/change-feed';
import type { Queryable } from '../../db/types';
import { EXCEPTION_COLUMNS, rowToRecord, type ExceptionRow } from '../exceptions/row-mapping';
import { feedRowCondition, mayReadNow } from '../exceptions/scope';

export interface FeedPage {
  changes: Change[];
  cursor: number;
  hasMore: boolean;
}

type RawFeedRow = ExceptionRow & {
  seq: string;
  entity: string;
  entity_id: string;
  op: string;
  row_exists: boolean;
};

const SELECT_EXCEPTION = EXCEPTION_COLUMNS.map((c) => `e.${c}`).join(', ');

/**
 * Feed rows after `cursor`, in seq order, one more than asked to learn whether more remain.
 * Each upsert carries the exception as it is *now* (joined), so a client may receive a newer
 * state early and the same state again at a later seq: applying upserts is idempotent and
 * `version` only grows. An upsert whose row has since been deleted, or that the reader may no
 * longer see (an operator who lost the lease), goes out as a delete. `seq` on the wire is the
 * row's position (change_feed.pos, db/sequencer.ts); rows not yet positioned are not sent yet.
 */
export async function readFeed(
  db: Queryable,
  user: AuthUser,
  cursor: number,
  limit: number,
): Promise<FeedPage> {
  const scope = feedRowCondition(user, 'f', 3);
  const rows = await db.query<RawFeedRow>(
    `SELECT f.pos AS seq, f.entity, f.entity_id, f.op, e.id IS NOT NULL AS row_exists, ${SELECT_EXCEPTION}
     FROM change_feed f
     LEFT JOIN exceptions e ON f.entity = 'exception' AND f.op = 'upsert' AND e.id = f.entity_id
     WHERE f.pos > $1 AND (${scope.sql})
     ORDER BY f.pos LIMIT $2`,
    [cursor, limit + 1, ...scope.params],
  );
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const changes = page.map((r): Change => {
    const seq = seqToNumber(r.seq);
    if (r.entity !== 'exception') throw new Error(`change_feed holds an unknown entity "${r.entity}"`);
    return r.op === 'upsert' &&
      r.row_exists &&
      mayReadNow(user, r.assignee_id === null ? null : String(r.assignee_id))
      ? { seq, entity: 'exception', entityId: r.entity_id, op: 'upsert', data: rowToRecord(r) }
      : { seq, entity: 'exception', entityId: r.entity_id, op: 'delete', data: null };
  });
  const last = changes[changes.length - 1];
  return { changes, cursor: last ? last.seq : cursor, hasMore };
}
