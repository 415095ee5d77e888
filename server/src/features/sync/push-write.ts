import type { Mutation } from '@shared/sync/mutations';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { appendToFeed, type FeedEntry } from '../../db/change-feed';
import type { Queryable } from '../../db/types';
import { endLeasesWithReasons } from '../work/leases-repo';
import type { PushDecision } from './push-decide';
import { auditableExceptionId, type Refusal } from './push-screen';

/*
 * The writes of a decided push: one set-based statement per table, so a batch costs a fixed
 * number of round trips whatever its size (push.ts decides, this file only stores).
 */

/** Refused mutations are recorded too, so a replay is answered `duplicate` with the same reason. */
export async function recordRefusals(
  tx: Queryable,
  user: AuthUser,
  clientId: string,
  refused: readonly Refusal[],
  receivedAt: Date,
): Promise<void> {
  if (refused.length === 0) return;
  const receivedIso = receivedAt.toISOString();
  await tx.query(
    `INSERT INTO sync_mutations (client_id, mutation_id, user_id, client_seq, kind, exception_id, body,
       occurred_at, outcome, reason, received_at, content_hash)
     SELECT $1, r.mutation_id, $2, r.client_seq, r.kind, r.exception_id, r.body, r.occurred_at, 'rejected',
       r.reason, $3::timestamptz, r.content_hash
     FROM jsonb_to_recordset($4::jsonb) AS r(mutation_id text, client_seq bigint, kind text, exception_id text,
       body jsonb, occurred_at timestamptz, reason text, content_hash text)`,
    [
      clientId,
      user.id,
      receivedIso,
      JSON.stringify(
        refused.map((r) => ({
          mutation_id: r.mutationId,
          client_seq: r.seq,
          kind: r.kind,
          exception_id: auditableExceptionId(r),
          body: r.body ?? {},
          // A time outside the accepted window is not kept as if it were one.
          occurred_at: r.occurredAt ?? receivedIso,
          reason: r.reason,
          content_hash: r.hash,
        })),
      ),
    ],
  );
  await appendAudit(
    tx,
    refused.map((r) => {
      const exceptionId = auditableExceptionId(r);
      return {
        actorId: user.id,
        action: 'mutation.rejected',
        entity: exceptionId ? 'exception' : 'sync_client',
        entityId: exceptionId ?? clientId,
        details: {
          clientId,
          mutationId: r.mutationId,
          clientSeq: r.seq,
          kind: r.kind,
          occurredAt: r.occurredAt,
          receivedAt: receivedIso,
          reason: r.reason,
        },
      };
    }),
    receivedAt,
  );
}

function checklistColumns(m: Mutation): Record<string, unknown> {
  if (m.body.kind !== 'exception.resolve') return {};
  const { sop, answers, handle } = m.body.checklist;
  return {
    sop_id: sop.moduleId,
    sop_version: sop.version,
    answers,
    handle_ms: handle.activeMs,
    step_ms: handle.steps,
  };
}

export async function writeDecision(
  tx: Queryable,
  user: AuthUser,
  clientId: string,
  d: PushDecision,
  hashes: ReadonlyMap<string, string>,
  receivedAt: Date,
): Promise<void> {
  const receivedIso = receivedAt.toISOString();
  const changed = [...d.changed.values()];
  if (changed.length > 0) {
    await tx.query(
      `UPDATE exceptions e SET status = u.status, assignee_id = u.assignee_id, lease_id = u.lease_id,
         lease_expires_at = CASE WHEN u.lease_id IS NULL THEN NULL ELSE e.lease_expires_at END,
         version = e.version + 1, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS u(id text, status text, assignee_id text, lease_id text)
       WHERE e.id = u.id`,
      [
        JSON.stringify(
          changed.map(({ after }) => ({
            id: after.id,
            status: after.status,
            assignee_id: after.assigneeId,
            lease_id: after.leaseId,
          })),
        ),
      ],
    );
  }
  // A skip keeps its skipper away from the item for the cool-down (get-next reads these).
  const skipped = d.decided
    .filter((x) => x.outcome === 'applied' && x.mutation.body.kind === 'exception.skip')
    .map((x) => x.mutation.body.exceptionId);
  if (skipped.length > 0) {
    await tx.query(
      `UPDATE exceptions SET skipped_by = $1, skipped_at = $2::timestamptz WHERE id = ANY($3::text[])`,
      [user.id, receivedIso, skipped],
    );
  }
  await endLeasesWithReasons(tx, d.endedLeases);

  await tx.query(
    `INSERT INTO sync_mutations (client_id, mutation_id, user_id, client_seq, kind, exception_id, body,
       occurred_at, outcome, reason, received_at, content_hash)
     SELECT $1, r.mutation_id, $2, r.client_seq, r.kind, r.exception_id, r.body, r.occurred_at, r.outcome, r.reason,
       $4::timestamptz, r.content_hash
     FROM jsonb_to_recordset($3::jsonb) AS r(mutation_id text, client_seq bigint, kind text, exception_id text,
       body jsonb, occurred_at timestamptz, outcome text, reason text, content_hash text)`,
    [
      clientId,
      user.id,
      JSON.stringify(
        d.decided.map(({ mutation: m, outcome, reason }) => ({
          mutation_id: m.mutationId,
          client_seq: m.seq,
          kind: m.body.kind,
          exception_id: m.body.exceptionId,
          body: m.body,
          occurred_at: m.occurredAt,
          outcome,
          reason,
          content_hash: hashes.get(m.mutationId) ?? null,
        })),
      ),
      receivedIso,
    ],
  );

  if (d.resolutions.length > 0) {
    // Resolutions above their SOP's threshold also open an approval for a lead, in the same statement.
    await tx.query(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(exception_id text, mutation_id text, code text,
           action text, note text, amount text, amount_currency text, follow_up_date text,
           occurred_at timestamptz, sop_id text, sop_version text, answers jsonb, handle_ms bigint,
           step_ms jsonb, needs_approval boolean)
       ), inserted AS (
         INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note,
           amount, amount_currency, follow_up_date, occurred_at, sop_id, sop_version, answers, handle_ms,
           step_ms, needs_approval)
         SELECT r.exception_id, $1, $2, r.mutation_id, r.code, r.action, r.note, r.amount::numeric,
           r.amount_currency, r.follow_up_date::date, r.occurred_at, r.sop_id, r.sop_version, r.answers,
           r.handle_ms, r.step_ms, r.needs_approval
         FROM r
         RETURNING id, exception_id, occurred_at, needs_approval
       )
       INSERT INTO approvals (exception_id, resolution_id, requested_by, requested_at)
       SELECT exception_id, id, $1, $4::timestamptz FROM inserted WHERE needs_approval`,
      [
        user.id,
        clientId,
        JSON.stringify(
          d.resolutions.map(({ mutation, exceptionId, resolution, needsApproval }) => ({
            exception_id: exceptionId,
            mutation_id: mutation.mutationId,
            code: resolution.code,
            action: resolution.action,
            note: resolution.note,
            // Decimal text all the way into NUMERIC: never a JS number.
            amount: resolution.amount?.amount ?? null,
            amount_currency: resolution.amount?.currency ?? null,
            follow_up_date: resolution.followUpDate,
            occurred_at: mutation.occurredAt,
            ...checklistColumns(mutation),
            needs_approval: needsApproval,
          })),
        ),
        receivedIso,
      ],
    );
  }

  if (d.notes.length > 0) {
    await tx.query(
      `INSERT INTO exception_notes (exception_id, user_id, client_id, mutation_id, text, occurred_at)
       SELECT r.exception_id, $1, $2, r.mutation_id, r.text, r.occurred_at
       FROM jsonb_to_recordset($3::jsonb) AS r(exception_id text, mutation_id text, text text, occurred_at timestamptz)`,
      [
        user.id,
        clientId,
        JSON.stringify(
          d.notes.map(({ mutation, exceptionId, text }) => ({
            exception_id: exceptionId,
            mutation_id: mutation.mutationId,
            text,
            occurred_at: mutation.occurredAt,
          })),
        ),
      ],
    );
  }

  if (d.superseded.length > 0) {
    await tx.query(
      `INSERT INTO superseded_submissions (client_id, mutation_id, user_id, exception_id, lease_id, kind, body,
         reason, occurred_at)
       SELECT $1, r.mutation_id, $2, r.exception_id, r.lease_id, r.kind, r.body, r.reason, r.occurred_at
       FROM jsonb_to_recordset($3::jsonb) AS r(mutation_id text, exception_id text, lease_id text, kind text,
         body jsonb, reason text, occurred_at timestamptz)`,
      [
        clientId,
        user.id,
        JSON.stringify(
          d.superseded.map(({ mutation, exceptionId, leaseId, reason }) => ({
            mutation_id: mutation.mutationId,
            exception_id: exceptionId,
            lease_id: leaseId,
            kind: mutation.body.kind,
            body: mutation.body,
            reason,
            occurred_at: mutation.occurredAt,
          })),
        ),
      ],
    );
  }

  const feed: FeedEntry[] = [];
  for (const { before, after } of changed) {
    feed.push({
      entity: 'exception',
      entityId: after.id,
      op: 'upsert',
      data: null,
      audience: after.assigneeId,
    });
    if (before.assigneeId && before.assigneeId !== after.assigneeId) {
      feed.push({
        entity: 'exception',
        entityId: after.id,
        op: 'delete',
        data: null,
        audience: before.assigneeId,
      });
    }
  }
  await appendToFeed(tx, feed);
  await appendAudit(tx, d.audit, receivedAt);
}
