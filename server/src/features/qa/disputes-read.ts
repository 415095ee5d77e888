import { disputeSchema, type Dispute } from '@shared/api/qa-reviews';
import type { Queryable } from '../../db/types';

export interface DisputeRow {
  id: string;
  review_id: string;
  operator_id: string;
  comment: string;
  contested: string[];
  state: Dispute['state'];
  opened_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
  overturned: string[] | null;
  score_before: string;
  score_after: string | null;
}

export const DISPUTE_SELECT = `SELECT id::text AS id, review_id::text AS review_id, operator_id, comment, contested,
    state, opened_at, decided_by, decided_at, decision_comment, overturned, score_before::text AS score_before,
    score_after::text AS score_after
  FROM qa_disputes`;

export function toDispute(row: DisputeRow): Dispute {
  return disputeSchema.parse({
    id: row.id,
    reviewId: row.review_id,
    operatorId: row.operator_id,
    comment: row.comment,
    contested: row.contested,
    state: row.state,
    openedAt: row.opened_at.toISOString(),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionComment: row.decision_comment,
    overturned: row.overturned,
    scoreBefore: row.score_before,
    scoreAfter: row.score_after,
  });
}

export async function readDisputeOf(db: Queryable, reviewId: string): Promise<Dispute | null> {
  const rows = await db.query<DisputeRow>(`${DISPUTE_SELECT} WHERE review_id = $1`, [reviewId]);
  return rows[0] ? toDispute(rows[0]) : null;
}

export async function listDisputes(
  db: Queryable,
  query: { state: Dispute['state']; limit: number },
): Promise<Dispute[]> {
  const rows = await db.query<DisputeRow>(
    `${DISPUTE_SELECT} WHERE state = $1 ORDER BY opened_at, id LIMIT $2`,
    [query.state, query.limit],
  );
  return rows.map(toDispute);
}
