import type { ReviewSummary } from '@shared/api/qa-reviews';
import { assertTransition, exceptionStatusSchema } from '@shared/exception-status';
import {
  RubricMismatchError,
  reworkReason,
  scoreAnswers,
  scoreOf,
  type submitReviewBodySchema,
  type ScoredRubricItem,
} from '@shared/qa/rubric';
import type { z } from 'zod';
import { appendAudit, type AuditEntry } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { appendToFeed } from '../../db/change-feed';
import type { Database, Queryable } from '../../db/types';
import { conflict, forbidden, notFound, invalidField } from '../../http/api-error';
import { returnTarget } from '../approvals/repo';
import type { SopRegistry } from '../sops/registry';
import { REVIEW_SELECT, reviewedResolution, rubricOf, toSummary, type ReviewRow } from './reviews-repo';

type SubmitBody = z.output<typeof submitReviewBodySchema>;

export const ownWorkMessage =
  'you cannot review your own work (segregation of duties); another reviewer must score it';

/**
 * A reviewer scores a review. Live: a pass closes the item; a fail sends it back to the operator
 * who resolved it as rework (status `rework`, reserved for them, with the feedback as the
 * returned reason: their next get-next takes it first) and opens the re-review that waits for
 * the reworked resolution. Calibration: only the scores are kept; the item and the operator's
 * record are untouched. One transaction, audited.
 */
export async function submitReview(
  db: Database,
  sops: SopRegistry,
  reviewer: AuthUser,
  id: string,
  body: SubmitBody,
  at = new Date(),
): Promise<ReviewSummary> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.query<ReviewRow & { status: string; assignee_id: string | null }>(
      `${REVIEW_SELECT.replace('SELECT', 'SELECT e.status, e.assignee_id,')} WHERE q.id = $1 FOR UPDATE OF q, e`,
      [id],
    );
    // Another reviewer's calibration review does not exist for this caller (rounds are blind).
    if (!locked || (locked.kind === 'calibration' && locked.reviewer_id !== reviewer.id))
      throw notFound(`no QA review ${id}`);
    if (locked.state !== 'pending' && locked.state !== 'awaiting_rework')
      throw conflict(`this review is already ${locked.state}; a submitted score cannot be changed`);
    if (locked.kind === 'live' && locked.status !== 'resolved')
      throw conflict(`the item is ${locked.status}; it can be reviewed once it is resolved`);
    const resolution = await reviewedResolution(tx, locked);
    if (resolution === null) throw conflict('the item has no resolution to review');
    // A re-review is of whoever resolved the reworked item.
    const operatorId = locked.state === 'awaiting_rework' ? resolution.user_id : locked.operator_id;
    if (operatorId === reviewer.id) throw forbidden(ownWorkMessage);

    let items: ScoredRubricItem[];
    try {
      items = scoreAnswers(await rubricOf(tx, sops, locked.exception_id, resolution), body.items);
    } catch (error) {
      if (error instanceof RubricMismatchError) throw invalidField(error.path, error.message);
      throw error;
    }
    const score = scoreOf(items);
    if (score.outcome === 'fail' && body.feedback.length < 3)
      throw invalidField(
        'body.feedback',
        'a failed review needs feedback for the operator (at least 3 characters)',
      );
    const live = locked.kind === 'live';
    const rework = live && score.outcome === 'fail';
    await tx.query(
      `UPDATE qa_reviews SET state = 'submitted', reviewer_id = $2, operator_id = $3, resolution_id = $4,
         sop_id = $5, sop_version = $6, rubric = $7::jsonb, score = $8::numeric, critical_failed = $9,
         outcome = $10, feedback = NULLIF($11, ''), sent_to_rework = $12, submitted_at = $13
       WHERE id = $1`,
      [
        id,
        reviewer.id,
        operatorId,
        resolution.id,
        resolution.sop_id,
        resolution.sop_version,
        JSON.stringify(items),
        score.score,
        score.criticalFailed,
        score.outcome,
        body.feedback,
        rework,
        at.toISOString(),
      ],
    );
    const audit: AuditEntry[] = [
      {
        actorId: reviewer.id,
        action: 'qa.review.submitted',
        entity: 'qa_review',
        entityId: id,
        details: {
          kind: locked.kind,
          exceptionId: locked.exception_id,
          resolutionId: resolution.id,
          operatorId,
          score: score.score,
          outcome: score.outcome,
          criticalFailed: score.criticalFailed,
          failed: items.filter((i) => i.outcome === 'fail').map((i) => i.id),
        },
      },
    ];
    if (live) {
      const type = locked.exception_type;
      audit.push(
        rework
          ? await sendToRework(
              tx,
              reviewer,
              { ...locked, operator_id: operatorId },
              type,
              reworkReason(body.feedback, items),
              at,
            )
          : await closeItem(tx, reviewer, locked),
      );
    }
    await appendAudit(tx, audit, at);
    const [after] = await tx.query<ReviewRow>(`${REVIEW_SELECT} WHERE q.id = $1`, [id]);
    return toSummary(after as ReviewRow);
  });
}

async function closeItem(
  tx: Queryable,
  reviewer: AuthUser,
  review: ReviewRow & { status: string; assignee_id: string | null },
): Promise<AuditEntry> {
  assertTransition(exceptionStatusSchema.parse(review.status), 'closed');
  await tx.query(
    `UPDATE exceptions SET status = 'closed', version = version + 1, updated_at = now() WHERE id = $1`,
    [review.exception_id],
  );
  await appendToFeed(tx, [
    {
      entity: 'exception',
      entityId: review.exception_id,
      op: 'upsert',
      data: null,
      audience: review.assignee_id,
    },
  ]);
  return {
    actorId: reviewer.id,
    action: 'qa.passed',
    entity: 'exception',
    entityId: review.exception_id,
    details: { reviewId: review.id, from: review.status, to: 'closed' },
  };
}

/**
 * Back to the operator who resolved it, as rework, the way a rejected write-off goes back
 * (features/approvals): reserved for them with the reason. When they can no longer work the type
 * it is reserved for nobody, and get-next gives it, feedback and all, to the next operator
 * allowed the type (features/work/allocation.ts).
 */
async function sendToRework(
  tx: Queryable,
  reviewer: AuthUser,
  review: ReviewRow & { status: string },
  type: string,
  reason: string,
  at: Date,
): Promise<AuditEntry> {
  assertTransition(exceptionStatusSchema.parse(review.status), 'rework');
  const returnedTo = await returnTarget(tx, review.operator_id, type);
  await tx.query(
    `UPDATE exceptions SET status = 'rework', assignee_id = $2, lease_id = NULL, lease_expires_at = NULL,
       returned_reason = $3, returned_by = $4, returned_at = $5, version = version + 1, updated_at = now()
     WHERE id = $1`,
    [review.exception_id, returnedTo, reason, reviewer.id, at.toISOString()],
  );
  await tx.query(
    `INSERT INTO qa_reviews (id, kind, draw_id, previous_review_id, exception_id, operator_id, sop_id, sop_version,
       state, created_at)
     VALUES (gen_random_uuid(), 'live', $2, $1, $3, $4, $5, $6, 'awaiting_rework', $7)`,
    [
      review.id,
      review.draw_id,
      review.exception_id,
      review.operator_id,
      review.sop_id,
      review.sop_version,
      at.toISOString(),
    ],
  );
  await appendToFeed(tx, [
    { entity: 'exception', entityId: review.exception_id, op: 'upsert', data: null, audience: returnedTo },
    ...(returnedTo === null
      ? [
          {
            entity: 'exception' as const,
            entityId: review.exception_id,
            op: 'delete' as const,
            data: null,
            audience: review.operator_id,
          },
        ]
      : []),
  ]);
  return {
    actorId: reviewer.id,
    action: 'qa.rework',
    entity: 'exception',
    entityId: review.exception_id,
    details: { reviewId: review.id, from: review.status, to: 'rework', returnedTo, reason },
  };
}
