import { approvalSchema, type Approval } from '@shared/api/approvals';
import { assertTransition, exceptionStatusSchema } from '@shared/exception-status';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { appendToFeed } from '../../db/change-feed';
import type { Database, Queryable } from '../../db/types';
import { conflict, forbidden, notFound } from '../../http/api-error';
import { EXCEPTION_COLUMNS, rowToRecord, type ExceptionRow } from '../exceptions/row-mapping';
import { assertExceptionPeriodOpen } from '../close/locked-periods';

const SUMMARY_COLUMNS = EXCEPTION_COLUMNS.filter((c) => c !== 'evidence')
  .map((c) => `e.${c}`)
  .join(', ');

type Row = ExceptionRow & {
  approval_id: string;
  r_code: string;
  r_action: string;
  r_note: string;
  r_amount: string | null;
  r_amount_currency: string | null;
  r_follow_up_date: string | null;
  sop_id: string;
  sop_version: string;
  answers: unknown;
  handle_ms: string;
  step_ms: unknown;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  state: string;
  decided_by: string | null;
  decided_at: Date | null;
  comment: string | null;
};

const SELECT = `
  SELECT a.id AS approval_id, ${SUMMARY_COLUMNS}, '[]'::jsonb AS evidence,
    r.code AS r_code, r.action AS r_action, r.note AS r_note, r.amount::text AS r_amount,
    r.amount_currency AS r_amount_currency, to_char(r.follow_up_date, 'YYYY-MM-DD') AS r_follow_up_date,
    r.sop_id, r.sop_version, r.answers, r.handle_ms::text AS handle_ms, r.step_ms,
    a.requested_by, u.display_name AS requested_by_name, a.requested_at, a.state, a.decided_by,
    a.decided_at, a.comment
  FROM approvals a
  JOIN exception_resolutions r ON r.id = a.resolution_id
  JOIN exceptions e ON e.id = a.exception_id
  JOIN users u ON u.id = a.requested_by`;

function toApproval(row: Row): Approval {
  const { evidence: _evidence, ...exception } = rowToRecord(row);
  return approvalSchema.parse({
    id: String(row.approval_id),
    exception,
    resolution: {
      code: row.r_code,
      action: row.r_action,
      note: row.r_note,
      amount:
        row.r_amount === null || row.r_amount_currency === null
          ? null
          : { amount: trimZeros(row.r_amount), currency: row.r_amount_currency },
      followUpDate: row.r_follow_up_date,
    },
    checklist: {
      sop: { moduleId: row.sop_id, version: row.sop_version },
      answers: row.answers ?? {},
      handle: { activeMs: Number(row.handle_ms ?? 0), steps: row.step_ms ?? {} },
    },
    requestedBy: row.requested_by,
    requestedByName: row.requested_by_name,
    requestedAt: row.requested_at.toISOString(),
    state: row.state,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    comment: row.comment,
  });
}

/** NUMERIC(30,10) comes back with ten decimals; the wire carries the canonical decimal text. */
function trimZeros(amount: string): string {
  return amount.includes('.') ? amount.replace(/\.?0+$/, '') : amount;
}

export async function listApprovals(
  db: Queryable,
  query: { state: string; limit: number },
): Promise<Approval[]> {
  const rows = await db.query<Row>(`${SELECT} WHERE a.state = $1 ORDER BY a.requested_at, a.id LIMIT $2`, [
    query.state,
    query.limit,
  ]);
  return rows.map(toApproval);
}

/**
 * Whom a rejected resolution goes back to: the operator who resolved it, while they are active,
 * still an operator and still allowed the item's type; otherwise nobody (the open queue).
 */
export async function returnTarget(tx: Queryable, operatorId: string, type: string): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `SELECT u.id FROM users u
     WHERE u.id = $1 AND u.deactivated_at IS NULL AND 'operator' = ANY(u.roles)
       AND EXISTS (SELECT 1 FROM user_work_types w WHERE w.user_id = u.id AND w.type = $2)`,
    [operatorId, type],
  );
  return rows[0]?.id ?? null;
}

/**
 * A lead approves or rejects a resolution waiting above its SOP's threshold. Nobody decides their
 * own: segregation of duties is checked here and again by a CHECK constraint. Approve: the
 * exception becomes resolved. Reject: it is `open` again but reserved for the operator who
 * resolved it (their next get-next takes it first, with the lead's reason; nobody else's does);
 * when that operator can no longer work it (deactivated, no longer an operator or no longer
 * allowed the type) it goes to the open queue.
 */
export async function decideApproval(
  db: Database,
  lead: AuthUser,
  id: string,
  decision: { decision: 'approve' | 'reject'; comment: string },
): Promise<Approval> {
  return db.transaction(async (tx) => {
    const locked = await tx.query<{
      state: string;
      requested_by: string;
      exception_id: string;
      status: string;
      type: string;
    }>(
      `SELECT a.state, a.requested_by, a.exception_id, e.status, e.type FROM approvals a
       JOIN exceptions e ON e.id = a.exception_id WHERE a.id = $1 FOR UPDATE OF a, e`,
      [id],
    );
    const row = locked[0];
    if (!row) throw notFound(`no approval ${id}`);
    if (row.requested_by === lead.id) {
      throw forbidden('you cannot approve or reject your own resolution; another lead must decide it');
    }
    if (row.state !== 'pending') throw conflict(`approval ${id} is already ${row.state}`);
    await assertExceptionPeriodOpen(tx, row.exception_id);
    const to = decision.decision === 'approve' ? 'resolved' : 'open';
    assertTransition(exceptionStatusSchema.parse(row.status), to);
    const state = decision.decision === 'approve' ? 'approved' : 'rejected';
    await tx.query(
      `UPDATE approvals SET state = $2, decided_by = $3, decided_at = now(), comment = NULLIF($4, '') WHERE id = $1`,
      [id, state, lead.id, decision.comment],
    );
    const returnedTo = to === 'open' ? await returnTarget(tx, row.requested_by, row.type) : null;
    const updated = await tx.query<{ assignee_id: string | null }>(
      to === 'open'
        ? `UPDATE exceptions SET status = 'open', version = version + 1, updated_at = now(),
             assignee_id = $2, returned_reason = $3, returned_by = $4, returned_at = now()
           WHERE id = $1 RETURNING assignee_id`
        : `UPDATE exceptions SET status = $2, version = version + 1, updated_at = now()
           WHERE id = $1 RETURNING assignee_id`,
      to === 'open' ? [row.exception_id, returnedTo, decision.comment, lead.id] : [row.exception_id, to],
    );
    await appendToFeed(tx, [
      {
        entity: 'exception',
        entityId: row.exception_id,
        op: 'upsert',
        data: null,
        audience: updated[0]?.assignee_id ?? null,
      },
      ...(to === 'open' && returnedTo === null
        ? [
            {
              entity: 'exception' as const,
              entityId: row.exception_id,
              op: 'delete' as const,
              data: null,
              audience: row.requested_by,
            },
          ]
        : []),
    ]);
    await appendAudit(tx, [
      {
        actorId: lead.id,
        action: `approval.${state}`,
        entity: 'exception',
        entityId: row.exception_id,
        details: {
          approvalId: id,
          requestedBy: row.requested_by,
          from: row.status,
          to,
          comment: decision.comment,
          // A rejection: whose it is now (null: the open queue), and the reason history shows.
          ...(to === 'open' ? { returnedTo, reason: decision.comment } : {}),
        },
      },
    ]);
    const after = await tx.query<Row>(`${SELECT} WHERE a.id = $1`, [id]);
    return toApproval(after[0] as Row);
  });
}
