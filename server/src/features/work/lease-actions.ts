import type { LeasedItem, RenewResponse } from '@shared/api/work';
import type { ExceptionRecord } from '@shared/exception';
import { canTransition, exceptionStatusSchema } from '@shared/exception-status';
import { EXCEPTION_TYPE_LABELS, exceptionTypeSchema } from '@shared/exception-types';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { isSupervisor } from '../../auth/supervisor';
import { appendToFeed, type FeedEntry } from '../../db/change-feed';
import type { Database, Queryable } from '../../db/types';
import { conflict, notFound } from '../../http/api-error';
import { findUserById } from '../auth/users-repo';
import { EXCEPTION_COLUMNS, rowToRecord, type ExceptionRow } from '../exceptions/row-mapping';
import { endLeases, findLeases, insertLeases, newLeaseId, toLease } from './leases-repo';

const RETURNING = [...EXCEPTION_COLUMNS.map((c) => `e.${c}`), 'e.lease_id', 'e.lease_expires_at'].join(', ');
type LeasedRow = ExceptionRow & { lease_id: string | null; lease_expires_at: Date | null };

/**
 * Extends the caller's leases by a full TTL from now. A lease that expired but that nobody has
 * taken is still the caller's and is renewed: an operator back from a long outage keeps work no
 * one else needed. Renewal changes no exception field, so it writes no feed row; one audit row
 * per call records it.
 */
export async function renewLeases(
  db: Database,
  user: AuthUser,
  leaseIds: readonly string[],
  ttlSeconds: number,
): Promise<RenewResponse> {
  return db.transaction(async (tx) => {
    const wanted = [...new Set(leaseIds)];
    const rows = await tx.query<{ id: string; lease_id: string; lease_expires_at: Date }>(
      `UPDATE exceptions SET lease_expires_at = now() + make_interval(secs => $3)
       WHERE lease_id = ANY($1::text[]) AND assignee_id = $2
       RETURNING id, lease_id, lease_expires_at`,
      [wanted, user.id, ttlSeconds],
    );
    const renewedIds = new Set(rows.map((r) => r.lease_id));
    const missing = wanted.filter((l) => !renewedIds.has(l));
    const history = await findLeases(tx, missing);
    const lost = missing.map((leaseId) => {
      const h = history.get(leaseId);
      const reason =
        !h || h.userId !== user.id ? 'not a lease of yours' : (h.endReason ?? 'the lease is no longer held');
      return { leaseId, reason };
    });
    if (rows.length > 0) {
      await appendAudit(tx, [
        {
          actorId: user.id,
          action: 'lease.renewed',
          entity: 'user',
          entityId: user.id,
          details: { leaseIds: rows.map((r) => r.lease_id), ttlSeconds },
        },
      ]);
    }
    return {
      renewed: rows.map((r) => toLease(r.lease_id, r.id, user.id, r.lease_expires_at)),
      lost,
    };
  });
}

async function lockLeased(tx: Queryable, exceptionId: string): Promise<LeasedRow | null> {
  const rows = await tx.query<LeasedRow>(`SELECT ${RETURNING} FROM exceptions e WHERE e.id = $1 FOR UPDATE`, [
    exceptionId,
  ]);
  return rows[0] ?? null;
}

/**
 * Puts a leased exception back in the queue. The holder may release their own; a lead or admin
 * any. An operator asking about an exception they do not hold gets 404, as for reads, so ids
 * outside their scope are not probeable.
 */
export async function releaseLease(
  db: Database,
  user: AuthUser,
  exceptionId: string,
  reason: string,
): Promise<ExceptionRecord> {
  return db.transaction(async (tx) => {
    const row = await lockLeased(tx, exceptionId);
    if (!row || (!isSupervisor(user) && row.assignee_id !== user.id))
      throw notFound(`no exception ${exceptionId}`);
    if (!row.lease_id) throw conflict(`${exceptionId} is not leased to anyone`);
    const status = exceptionStatusSchema.parse(row.status);
    if (!canTransition(status, 'open'))
      throw conflict(`an exception in status "${status}" cannot go back to the queue`);
    const updated = await tx.query<ExceptionRow>(
      `UPDATE exceptions e SET status = 'open', assignee_id = NULL, lease_id = NULL, lease_expires_at = NULL,
         version = e.version + 1, updated_at = now()
       WHERE e.id = $1 RETURNING ${EXCEPTION_COLUMNS.map((c) => `e.${c}`).join(', ')}`,
      [exceptionId],
    );
    const previousHolder = row.assignee_id === null ? null : String(row.assignee_id);
    await endLeases(tx, [row.lease_id], `released by ${user.username}: ${reason}`);
    const feed: FeedEntry[] = [
      { entity: 'exception', entityId: exceptionId, op: 'upsert', data: null, audience: null },
    ];
    if (previousHolder)
      feed.push({
        entity: 'exception',
        entityId: exceptionId,
        op: 'delete',
        data: null,
        audience: previousHolder,
      });
    await appendToFeed(tx, feed);
    await appendAudit(tx, [
      {
        actorId: user.id,
        action: 'lease.released',
        entity: 'exception',
        entityId: exceptionId,
        details: { leaseId: row.lease_id, previousHolder, previousStatus: status, reason },
      },
    ]);
    const record = updated[0];
    if (!record) throw new Error(`release of ${exceptionId} updated no row`);
    return rowToRecord(record);
  });
}

/**
 * A lead hands an exception to an operator who is allowed its type. The old holder's lease ends
 * (a result they push later is kept as a superseded submission); both holders get a feed row.
 */
export async function reassignLease(
  db: Database,
  lead: AuthUser,
  input: { exceptionId: string; toUserId: string; reason: string },
  ttlSeconds: number,
): Promise<LeasedItem> {
  const target = await findUserById(db, input.toUserId);
  if (!target) throw notFound(`no user ${input.toUserId}`);
  if (!target.roles.includes('operator')) throw conflict(`${target.username} is not an operator`);
  return db.transaction(async (tx) => {
    const row = await lockLeased(tx, input.exceptionId);
    if (!row) throw notFound(`no exception ${input.exceptionId}`);
    const allowed = await tx.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM user_work_types WHERE user_id = $1 AND type = $2) AS ok`,
      [target.id, row.type],
    );
    if (!allowed[0]?.ok) {
      // A lead reads this: the type by its label, never its code name.
      const type = exceptionTypeSchema.safeParse(row.type);
      const label = type.success ? EXCEPTION_TYPE_LABELS[type.data] : String(row.type);
      throw conflict(`${target.username} is not allowed to work on ${label} items`);
    }
    const status = exceptionStatusSchema.parse(row.status);
    if (!canTransition(status, 'assigned'))
      throw conflict(`an exception in status "${status}" cannot be reassigned`);
    const leaseId = newLeaseId();
    const updated = await tx.query<LeasedRow & { lease_id: string; lease_expires_at: Date }>(
      `UPDATE exceptions e SET status = 'assigned', assignee_id = $2, lease_id = $3,
         lease_expires_at = now() + make_interval(secs => $4), version = e.version + 1, updated_at = now()
       WHERE e.id = $1 RETURNING ${RETURNING}`,
      [input.exceptionId, target.id, leaseId, ttlSeconds],
    );
    const after = updated[0];
    if (!after) throw new Error(`reassign of ${input.exceptionId} updated no row`);
    const previousHolder = row.assignee_id === null ? null : String(row.assignee_id);
    if (row.lease_id)
      await endLeases(
        tx,
        [row.lease_id],
        `reassigned to ${target.username} by ${lead.username}: ${input.reason}`,
      );
    await insertLeases(tx, [{ leaseId, exceptionId: input.exceptionId, userId: target.id }], lead.id);
    const feed: FeedEntry[] = [
      { entity: 'exception', entityId: input.exceptionId, op: 'upsert', data: null, audience: target.id },
    ];
    if (previousHolder && previousHolder !== target.id) {
      feed.push({
        entity: 'exception',
        entityId: input.exceptionId,
        op: 'delete',
        data: null,
        audience: previousHolder,
      });
    }
    await appendToFeed(tx, feed);
    await appendAudit(tx, [
      {
        actorId: lead.id,
        action: 'lease.reassigned',
        entity: 'exception',
        entityId: input.exceptionId,
        details: {
          leaseId,
          toUserId: target.id,
          previousLeaseId: row.lease_id,
          previousHolder,
          previousStatus: status,
          reason: input.reason,
        },
      },
    ]);
    return {
      exception: rowToRecord(after),
      lease: toLease(leaseId, input.exceptionId, target.id, after.lease_expires_at),
    };
  });
}
