import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  Dispute,
  disputeDecisionBodySchema,
  openDisputeBodySchema,
  ReviewSummary,
} from '@shared/api/qa-reviews';
import { scoreOf, type ScoredRubricItem } from '@shared/qa/rubric';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import type { Database, Queryable } from '../../db/types';
import { conflict, forbidden, notFound, invalidField } from '../../http/api-error';
import { DISPUTE_SELECT, toDispute, type DisputeRow } from './disputes-read';
import { REVIEW_SELECT, toSummary, type ReviewRow } from './reviews-repo';

async function reviewAfter(tx: Queryable, id: string): Promise<ReviewSummary> {
  const [row] = await tx.query<ReviewRow>(`${REVIEW_SELECT} WHERE q.id = $1`, [id]);
  return toSummary(row as ReviewRow);
}

/**
 * The operator whose work a live review scored contests failed items with a comment. One dispute
 * per review; a review not yet scored (or not theirs) does not exist for them.
 */
export async function openDispute(
  db: Database,
  operator: AuthUser,
  reviewId: string,
  body: z.output<typeof openDisputeBodySchema>,
  at = new Date(),
): Promise<{ dispute: Dispute; review: ReviewSummary }> {
  return db.transaction(async (tx) => {
    const [review] = await tx.query<ReviewRow>(`${REVIEW_SELECT} WHERE q.id = $1 FOR UPDATE OF q`, [
      reviewId,
    ]);
    if (
      !review ||
      review.kind !== 'live' ||
      review.operator_id !== operator.id ||
      !['submitted', 'disputed', 'locked'].includes(review.state)
    )
      throw notFound(`no QA review ${reviewId} of your work`);
    if (review.state !== 'submitted')
      throw conflict(`this review is already ${review.state}; it can be disputed once`);
    const rubric = review.rubric as ScoredRubricItem[];
    body.contested.forEach((itemId, i) => {
      const item = rubric.find((r) => r.id === itemId);
      if (!item) throw invalidField(`body.contested.${i}`, 'not a rubric item of this review');
      if (item.outcome !== 'fail')
        throw invalidField(`body.contested.${i}`, 'only a failed item can be contested');
    });
    const contested = [...new Set(body.contested)];
    const id = randomUUID();
    await tx.query(
      `INSERT INTO qa_disputes (id, review_id, operator_id, comment, contested, opened_at, score_before)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7::numeric)`,
      [id, reviewId, operator.id, body.comment, contested, at.toISOString(), review.score],
    );
    await tx.query(`UPDATE qa_reviews SET state = 'disputed' WHERE id = $1`, [reviewId]);
    await appendAudit(
      tx,
      [
        {
          actorId: operator.id,
          action: 'qa.dispute.opened',
          entity: 'qa_review',
          entityId: reviewId,
          details: { disputeId: id, contested, comment: body.comment },
        },
      ],
      at,
    );
    const [row] = await tx.query<DisputeRow>(`${DISPUTE_SELECT} WHERE id = $1`, [id]);
    return { dispute: toDispute(row as DisputeRow), review: await reviewAfter(tx, reviewId) };
  });
}

const DECIDED_STATE = { accept: 'accepted', partly_accept: 'partly_accepted', reject: 'rejected' } as const;

/**
 * A lead decides a dispute: accept turns every contested item to pass, partly accept the ones
 * named, reject leaves the review as it is. The score is recomputed and the review locked; a
 * decided dispute is never decided again. Neither the reviewer nor the operator may decide.
 */
export async function decideDispute(
  db: Database,
  lead: AuthUser,
  disputeId: string,
  body: z.output<typeof disputeDecisionBodySchema>,
  at = new Date(),
): Promise<{ dispute: Dispute; review: ReviewSummary }> {
  return db.transaction(async (tx) => {
    const [dispute] = await tx.query<DisputeRow>(`${DISPUTE_SELECT} WHERE id = $1 FOR UPDATE`, [disputeId]);
    if (!dispute) throw notFound(`no QA dispute ${disputeId}`);
    const [review] = await tx.query<ReviewRow>(`${REVIEW_SELECT} WHERE q.id = $1 FOR UPDATE OF q`, [
      dispute.review_id,
    ]);
    if (!review) throw notFound(`no QA review ${dispute.review_id}`);
    if (review.reviewer_id === lead.id)
      throw forbidden(
        'you scored this review, so you cannot decide its dispute (segregation of duties); another lead must',
      );
    if (dispute.operator_id === lead.id) throw forbidden('you cannot decide a dispute about your own work');
    if (dispute.state !== 'open')
      throw conflict(`this dispute is already ${dispute.state}; the score is locked`);

    const contested = new Set(dispute.contested);
    body.overturned.forEach((itemId, i) => {
      if (!contested.has(itemId))
        throw invalidField(`body.overturned.${i}`, 'not an item the operator contested');
    });
    const overturned =
      body.decision === 'accept'
        ? [...contested]
        : body.decision === 'reject'
          ? []
          : [...new Set(body.overturned)];
    if (body.decision === 'partly_accept' && overturned.length === contested.size)
      throw invalidField('body.overturned', 'every contested item is named: accept the dispute instead');
    const rubric = (review.rubric as ScoredRubricItem[]).map((item) =>
      overturned.includes(item.id) ? { ...item, outcome: 'pass' as const } : item,
    );
    const score = scoreOf(rubric);
    const state = DECIDED_STATE[body.decision];
    await tx.query(
      `UPDATE qa_disputes SET state = $2, decided_by = $3, decided_at = $4, decision_comment = $5,
         overturned = $6::text[], score_after = $7::numeric WHERE id = $1`,
      [disputeId, state, lead.id, at.toISOString(), body.comment, overturned, score.score],
    );
    await tx.query(
      `UPDATE qa_reviews SET state = 'locked', rubric = $2::jsonb, score = $3::numeric, critical_failed = $4,
         outcome = $5 WHERE id = $1`,
      [review.id, JSON.stringify(rubric), score.score, score.criticalFailed, score.outcome],
    );
    await appendAudit(
      tx,
      [
        {
          actorId: lead.id,
          action: 'qa.dispute.decided',
          entity: 'qa_review',
          entityId: review.id,
          details: {
            disputeId,
            decision: state,
            overturned,
            comment: body.comment,
            scoreBefore: dispute.score_before,
            scoreAfter: score.score,
            outcome: score.outcome,
          },
        },
      ],
      at,
    );
    const [row] = await tx.query<DisputeRow>(`${DISPUTE_SELECT} WHERE id = $1`, [disputeId]);
    return { dispute: toDispute(row as DisputeRow), review: await reviewAfter(tx, review.id) };
  });
}
