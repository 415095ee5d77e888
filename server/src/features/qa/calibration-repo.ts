import { randomUUID } from 'node:crypto';
import {
  calibrationRoundSchema,
  type CalibrationRound,
  type CreateCalibrationBody,
} from '@shared/api/qa-calibration';
import { calibrationAgreement, type CalibrationRating } from '@shared/qa/agreement';
import type { ScoredRubricItem } from '@shared/qa/rubric';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { isSupervisor } from '../../auth/supervisor';
import type { Database, Queryable } from '../../db/types';
import { forbidden, notFound, invalidField } from '../../http/api-error';
import { REVIEW_SELECT, toSummary, type ReviewRow } from './reviews-repo';

/**
 * A lead opens a blind calibration round: every reviewer gets a review of every item's latest
 * resolution. Reviewers must be active QA reviewers, and none may be the operator of an item.
 */
export async function createRound(
  db: Database,
  lead: AuthUser,
  body: CreateCalibrationBody,
  at = new Date(),
): Promise<CalibrationRound> {
  const id = await db.transaction(async (tx) => {
    const users = await tx.query<{ id: string }>(
      `SELECT id FROM users WHERE id = ANY($1::text[]) AND deactivated_at IS NULL AND 'qa' = ANY(roles)`,
      [body.reviewerIds],
    );
    const reviewers = new Set(users.map((u) => u.id));
    body.reviewerIds.forEach((r, i) => {
      if (!reviewers.has(r)) throw invalidField(`body.reviewerIds.${i}`, 'not an active QA reviewer');
    });
    const resolutions = await tx.query<{
      id: string;
      exception_id: string;
      user_id: string;
      sop_id: string | null;
      sop_version: string | null;
    }>(
      `SELECT DISTINCT ON (exception_id) id::text AS id, exception_id, user_id, sop_id, sop_version
         FROM exception_resolutions WHERE exception_id = ANY($1::text[])
        ORDER BY exception_id, occurred_at DESC, id DESC`,
      [body.exceptionIds],
    );
    const byItem = new Map(resolutions.map((r) => [r.exception_id, r]));
    body.exceptionIds.forEach((e, i) => {
      if (!byItem.has(e))
        throw invalidField(`body.exceptionIds.${i}`, 'this item has no resolution to review');
    });
    for (const r of resolutions) {
      if (reviewers.has(r.user_id))
        throw forbidden(
          `${r.user_id} resolved ${r.exception_id}: nobody reviews their own work (segregation of duties)`,
        );
    }
    const roundId = randomUUID();
    await tx.query(
      `INSERT INTO qa_calibration_rounds (id, created_by, created_at, reviewer_ids, exception_ids)
       VALUES ($1, $2, $3, $4::text[], $5::text[])`,
      [roundId, lead.id, at.toISOString(), body.reviewerIds, body.exceptionIds],
    );
    const rows = body.exceptionIds.flatMap((e) => {
      const r = byItem.get(e);
      return body.reviewerIds.map((reviewer) => ({ ...r, reviewer }));
    });
    await tx.query(
      `INSERT INTO qa_reviews (id, kind, round_id, exception_id, resolution_id, operator_id, reviewer_id, sop_id,
         sop_version, state, created_at)
       SELECT gen_random_uuid(), 'calibration', $1, r.exception_id, r.id::bigint, r.user_id, r.reviewer, r.sop_id,
         r.sop_version, 'pending', $2
       FROM jsonb_to_recordset($3::jsonb) AS r(exception_id text, id text, user_id text, reviewer text,
         sop_id text, sop_version text)`,
      [roundId, at.toISOString(), JSON.stringify(rows)],
    );
    await appendAudit(
      tx,
      [
        {
          actorId: lead.id,
          action: 'qa.calibration.created',
          entity: 'qa_calibration',
          entityId: roundId,
          details: { reviewerIds: body.reviewerIds, exceptionIds: body.exceptionIds },
        },
      ],
      at,
    );
    return roundId;
  });
  return readRound(db, lead, id);
}

interface RoundRow {
  id: string;
  created_by: string;
  created_at: Date;
  reviewer_ids: string[];
  exception_ids: string[];
}

/**
 * A round's progress, and once every review is in, every score and the agreement. Until then a
 * reviewer sees only their own reviews; a QA reviewer outside the round does not see it at all.
 */
export async function readRound(db: Queryable, user: AuthUser, id: string): Promise<CalibrationRound> {
  const [round] = await db.query<RoundRow>(
    `SELECT id::text AS id, created_by, created_at, reviewer_ids, exception_ids FROM qa_calibration_rounds
      WHERE id = $1`,
    [id],
  );
  const supervises = isSupervisor(user);
  if (!round || (!supervises && !round.reviewer_ids.includes(user.id)))
    throw notFound(`no calibration round ${id}`);
  const reviews = await db.query<ReviewRow>(
    `${REVIEW_SELECT} WHERE q.round_id = $1 ORDER BY q.exception_id, q.reviewer_id`,
    [id],
  );
  const submitted = reviews.filter((r) => r.state !== 'pending');
  const complete = submitted.length === reviews.length;
  const ratings: CalibrationRating[] = complete
    ? reviews.flatMap((r) =>
        (r.rubric as ScoredRubricItem[]).map((item) => ({
          itemId: r.exception_id,
          rubricItemId: item.id,
          reviewerId: r.reviewer_id as string,
          outcome: item.outcome,
        })),
      )
    : [];
  return calibrationRoundSchema.parse({
    id: round.id,
    createdBy: round.created_by,
    createdAt: round.created_at.toISOString(),
    reviewerIds: round.reviewer_ids,
    exceptionIds: round.exception_ids,
    submitted: submitted.length,
    total: reviews.length,
    complete,
    agreement: complete ? calibrationAgreement(ratings) : null,
    reviews: (complete ? reviews : reviews.filter((r) => r.reviewer_id === user.id)).map(toSummary),
  });
}
