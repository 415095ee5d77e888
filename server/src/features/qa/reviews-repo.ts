import {
  reviewDetailSchema,
  reviewSummarySchema,
  type ReviewDetail,
  type ReviewSummary,
} from '@shared/api/qa-reviews';
import { currencySchema, money } from '@shared/money';
import { reviewRubric, type ReviewRubricItem } from '@shared/qa/rubric';
import { answersSchema } from '@shared/sop/module';
import type { AuthUser } from '../../auth/auth-user';
import type { Queryable } from '../../db/types';
import { notFound } from '../../http/api-error';
import { exceptionNotes } from '../exceptions/notes-repo';
import { EXCEPTION_COLUMNS, rowToRecord, type ExceptionRow } from '../exceptions/row-mapping';
import type { SopRegistry } from '../sops/registry';
import { readDisputeOf } from './disputes-read';

export interface ReviewRow {
  id: string;
  kind: ReviewSummary['kind'];
  state: ReviewSummary['state'];
  draw_id: string | null;
  round_id: string | null;
  previous_review_id: string | null;
  exception_id: string;
  exception_type: string;
  resolution_id: string | null;
  operator_id: string;
  operator_name: string;
  reviewer_id: string | null;
  sop_id: string | null;
  sop_version: string | null;
  rubric: unknown;
  score: string | null;
  critical_failed: boolean | null;
  outcome: 'pass' | 'fail' | null;
  feedback: string | null;
  sent_to_rework: boolean;
  created_at: Date;
  submitted_at: Date | null;
}

export const REVIEW_SELECT = `
  SELECT q.id::text AS id, q.kind, q.state, q.draw_id::text AS draw_id, q.round_id::text AS round_id,
    q.previous_review_id::text AS previous_review_id, q.exception_id, e.type AS exception_type,
    q.resolution_id::text AS resolution_id, q.operator_id, u.display_name AS operator_name, q.reviewer_id,
    q.sop_id, q.sop_version, q.rubric, q.score::text AS score, q.critical_failed, q.outcome, q.feedback,
    q.sent_to_rework, q.created_at, q.submitted_at
  FROM qa_reviews q
  JOIN exceptions e ON e.id = q.exception_id
  JOIN users u ON u.id = q.operator_id`;

export function toSummary(row: ReviewRow): ReviewSummary {
  return reviewSummarySchema.parse({
    id: row.id,
    kind: row.kind,
    state: row.state,
    exceptionId: row.exception_id,
    exceptionType: row.exception_type,
    operatorId: row.operator_id,
    operatorName: row.operator_name,
    reviewerId: row.reviewer_id,
    sop:
      row.sop_id === null || row.sop_version === null
        ? null
        : { moduleId: row.sop_id, version: row.sop_version },
    score: row.score,
    outcome: row.outcome,
    criticalFailed: row.critical_failed,
    drawId: row.draw_id,
    roundId: row.round_id,
    previousReviewId: row.previous_review_id,
    createdAt: row.created_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
  });
}

const READY_TO_REVIEW = `(q.state = 'pending' AND (q.kind <> 'live' OR e.status = 'resolved')
  OR q.state = 'awaiting_rework' AND e.status = 'resolved')`;

/**
 * Reviews one QA reviewer may work or has done. `pending` is the sample inbox: live reviews not
 * yet scored of items that are resolved (not one waiting for a lead's approval), re-reviews whose
 * reworked item is resolved again, and the caller's own calibration reviews; never the caller's
 * own work (they may not review it). Other states: live reviews in that state and the caller's
 * own calibration reviews (never another reviewer's: rounds are blind).
 */
export async function listReviews(
  db: Queryable,
  reviewer: AuthUser,
  query: { state: ReviewSummary['state']; limit: number },
): Promise<ReviewSummary[]> {
  const pending = query.state === 'pending';
  const rows = await db.query<ReviewRow>(
    `${REVIEW_SELECT}
     WHERE ${pending ? READY_TO_REVIEW : 'q.state = $3'}
       AND q.operator_id <> $1 AND (q.kind <> 'calibration' OR q.reviewer_id = $1)
     ORDER BY q.created_at, q.id LIMIT $2`,
    pending ? [reviewer.id, query.limit] : [reviewer.id, query.limit, query.state],
  );
  return rows.map(toSummary);
}

/** Submitted live reviews of the caller's own work, newest first (what they may dispute). */
export async function listMyReviews(
  db: Queryable,
  operator: AuthUser,
  limit: number,
): Promise<ReviewSummary[]> {
  const rows = await db.query<ReviewRow>(
    `${REVIEW_SELECT}
     WHERE q.operator_id = $1 AND q.kind = 'live' AND q.state IN ('submitted', 'disputed', 'locked')
     ORDER BY q.submitted_at DESC, q.id LIMIT $2`,
    [operator.id, limit],
  );
  return rows.map(toSummary);
}

interface ResolutionRow {
  id: string;
  user_id: string;
  code: string;
  action: string;
  note: string;
  amount: string | null;
  amount_currency: string | null;
  follow_up_date: string | null;
  occurred_at: Date;
  sop_id: string | null;
  sop_version: string | null;
  answers: unknown;
}

const RESOLUTION_SELECT = `SELECT id::text AS id, user_id, code, action, note, amount::text AS amount, amount_currency,
    to_char(follow_up_date, 'YYYY-MM-DD') AS follow_up_date, occurred_at, sop_id, sop_version, answers
  FROM exception_resolutions`;

/** The resolution a review is about: its own, or (a re-review not yet scored) the item's latest. */
export async function reviewedResolution(db: Queryable, row: ReviewRow): Promise<ResolutionRow | null> {
  const rows =
    row.resolution_id !== null
      ? await db.query<ResolutionRow>(`${RESOLUTION_SELECT} WHERE id = $1`, [row.resolution_id])
      : await db.query<ResolutionRow>(
          `${RESOLUTION_SELECT} WHERE exception_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 1`,
          [row.exception_id],
        );
  return rows[0] ?? null;
}

/** The rubric of a resolution: from the SOP version it followed and its answers (shared/qa/rubric). */
export async function rubricOf(
  db: Queryable,
  sops: SopRegistry,
  exceptionId: string,
  resolution: ResolutionRow | null,
): Promise<ReviewRubricItem[]> {
  if (resolution?.sop_id == null || resolution.sop_version === null) return reviewRubric(null);
  const module = await sops.get(resolution.sop_id, resolution.sop_version, db);
  if (module === null) return reviewRubric(null);
  const rows = await db.query<ExceptionRow>(
    `SELECT ${EXCEPTION_COLUMNS.join(', ')} FROM exceptions WHERE id = $1`,
    [exceptionId],
  );
  if (!rows[0]) throw notFound(`no exception ${exceptionId}`);
  const { evidence: _evidence, ...exception } = rowToRecord(rows[0]);
  return reviewRubric({
    module,
    exception,
    answers: answersSchema.catch({}).parse(resolution.answers ?? {}),
    today: resolution.occurred_at.toISOString().slice(0, 10),
  });
}

function resolutionOf(r: ResolutionRow): ReviewDetail['resolution'] {
  return {
    code: r.code,
    action: r.action,
    note: r.note,
    amount:
      r.amount === null || r.amount_currency === null
        ? null
        : money(r.amount, currencySchema.parse(r.amount_currency)),
    followUpDate: r.follow_up_date,
  };
}

/**
 * Who may open a review: its reviewer-to-be or reviewer (QA), leads and admins, and the operator
 * whose work it is once it is scored (never before: which items were sampled stays unseen). A
 * calibration review is its own reviewer's alone until every review of the round is in.
 */
async function mayRead(db: Queryable, user: AuthUser, row: ReviewRow): Promise<boolean> {
  const staff = user.roles.some((r) => r === 'qa' || r === 'lead' || r === 'admin');
  if (row.kind === 'calibration') {
    if (row.reviewer_id === user.id) return true;
    if (!staff || row.round_id === null) return false;
    const open = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM qa_reviews WHERE round_id = $1 AND state = 'pending'`,
      [row.round_id],
    );
    return open[0]?.n === '0';
  }
  if (row.operator_id === user.id) return ['submitted', 'disputed', 'locked'].includes(row.state);
  return staff;
}

export async function readReview(
  db: Queryable,
  sops: SopRegistry,
  user: AuthUser,
  id: string,
): Promise<ReviewDetail> {
  const [row] = await db.query<ReviewRow>(`${REVIEW_SELECT} WHERE q.id = $1`, [id]);
  if (!row || !(await mayRead(db, user, row))) throw notFound(`no QA review ${id}`);
  // mayRead decided; the thread is read as a reviewer would (the item may have moved on since).
  const staffView: AuthUser = { id: user.id, username: user.username, roles: ['qa'] };
  const [exceptionRows, resolution, notes, dispute] = [
    await db.query<ExceptionRow>(`SELECT ${EXCEPTION_COLUMNS.join(', ')} FROM exceptions WHERE id = $1`, [
      row.exception_id,
    ]),
    await reviewedResolution(db, row),
    await exceptionNotes(db, staffView, row.exception_id),
    await readDisputeOf(db, row.id),
  ];
  const scored = Array.isArray(row.rubric) ? (row.rubric as ReviewDetail['rubric']) : null;
  const rubric =
    scored ??
    (await rubricOf(db, sops, row.exception_id, resolution)).map((r) => ({
      ...r,
      outcome: null,
      comment: null,
    }));
  return reviewDetailSchema.parse({
    ...toSummary(row),
    exception: rowToRecord(exceptionRows[0] as ExceptionRow),
    resolution: resolution === null ? null : resolutionOf(resolution),
    resolvedAt: resolution?.occurred_at.toISOString() ?? null,
    answers: answersSchema.catch({}).parse(resolution?.answers ?? {}),
    notes: notes ?? [],
    rubric,
    feedback: row.feedback,
    dispute,
  });
}

/**
 * The live reviews of a draw's sample: one per sampled item, of its last resolution on the lot's
 * day (the one the draw's population read). A resolution already under review is not added twice.
 */
export async function createDrawReviews(
  tx: Queryable,
  drawId: string,
  lotDate: string,
  exceptionIds: readonly string[],
  at: Date,
): Promise<number> {
  if (exceptionIds.length === 0) return 0;
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO qa_reviews (id, kind, draw_id, exception_id, resolution_id, operator_id, sop_id, sop_version,
       state, created_at)
     SELECT gen_random_uuid(), 'live', $1, r.exception_id, r.id, r.user_id, r.sop_id, r.sop_version, 'pending', $4
       FROM (SELECT DISTINCT ON (exception_id) id, exception_id, user_id, sop_id, sop_version
               FROM exception_resolutions
              WHERE exception_id = ANY($2::text[])
                AND occurred_at >= $3::date AT TIME ZONE 'UTC' AND occurred_at < ($3::date + 1) AT TIME ZONE 'UTC'
              ORDER BY exception_id, occurred_at DESC, id DESC) r
     ON CONFLICT (resolution_id) WHERE kind = 'live' DO NOTHING
     RETURNING id`,
    [drawId, [...exceptionIds], lotDate, at.toISOString()],
  );
  return rows.length;
}
