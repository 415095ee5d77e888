import { pullResponseSchema, type PullResponse } from '@shared/api/sync';
import type { AuthUser } from '../../auth/auth-user';
import { seqToNumber } from '../../db/change-feed';
import type { Queryable } from '../../db/types';
import { exceptionSummaryJsonSql } from '../exceptions/row-mapping';
import { feedRowCondition, mayReadNow } from '../exceptions/scope';

interface RawFeedRow {
  seq: string;
  entity: string;
  entity_id: string;
  op: string;
  assignee_id: string | null;
  /** The joined exception's summary as JSON text; null when the row is gone (or the feed row is a delete). */
  doc: string | null;
}

export interface FeedPageJson {
  /** The JSON text of the PullResponse. */
  json: string;
  cursor: number;
  hasMore: boolean;
}

/**
 * One page of the feed as the JSON text of a PullResponse (shared/api/sync.ts): feed rows after
 * `cursor`, in seq order, one more read than asked to learn whether more remain. The records
 * come from PostgreSQL already as JSON (exceptionSummaryJsonSql) and are spliced in as they are:
 * parsing and re-encoding them was most of this process's work on a pull. They carry no evidence
 * (most of a record's bytes): leases carry it, and GET /api/exceptions/:id on open.
 *
 * Each upsert carries the exception as it is *now* (joined), so a client may receive a newer
 * state early and the same state again at a later seq: applying upserts is idempotent and
 * `version` only grows. An upsert whose row has since been deleted, or that the reader may no
 * longer see (an operator who lost the lease), goes out as a delete. `seq` on the wire is the
 * row's position (change_feed.pos, db/sequencer.ts); rows not yet positioned are not sent yet.
 */
export async function readFeedJson(
  db: Queryable,
  user: AuthUser,
  cursor: number,
  limit: number,
): Promise<FeedPageJson> {
  const scope = feedRowCondition(user, 'f', 3);
  const rows = await db.query<RawFeedRow>(
    `SELECT f.pos AS seq, f.entity, f.entity_id, f.op, e.assignee_id,
       CASE WHEN e.id IS NOT NULL THEN ${exceptionSummaryJsonSql('e')} END AS doc
     FROM change_feed f
     LEFT JOIN exceptions e ON f.entity = 'exception' AND f.op = 'upsert' AND e.id = f.entity_id
     WHERE f.pos > $1 AND (${scope.sql})
     ORDER BY f.pos LIMIT $2`,
    [cursor, limit + 1, ...scope.params],
  );
  const hasMore = rows.length > limit;
  const count = hasMore ? limit : rows.length;
  const changes: string[] = new Array<string>(count);
  let last = cursor;
  for (let i = 0; i < count; i += 1) {
    const r = rows[i]!;
    last = seqToNumber(r.seq);
    if (r.entity !== 'exception') throw new Error(`change_feed holds an unknown entity "${r.entity}"`);
    const head = `{"seq":${last},"entity":"exception","entityId":${JSON.stringify(r.entity_id)}`;
    changes[i] =
      r.op === 'upsert' && r.doc !== null && mayReadNow(user, r.assignee_id)
        ? `${head},"op":"upsert","data":${r.doc}}`
        : `${head},"op":"delete","data":null}`;
  }
  return {
    json: `{"changes":[${changes.join(',')}],"cursor":${last},"hasMore":${hasMore}}`,
    cursor: last,
    hasMore,
  };
}

/** The same page parsed and checked against the wire schema, for in-process readers (tests). */
export async function readFeed(
  db: Queryable,
  user: AuthUser,
  cursor: number,
  limit: number,
): Promise<PullResponse> {
  return pullResponseSchema.parse(JSON.parse((await readFeedJson(db, user, cursor, limit)).json));
}
