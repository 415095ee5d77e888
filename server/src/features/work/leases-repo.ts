import { randomUUID } from 'node:crypto';
import type { Lease } from '@shared/api/work';
import type { Queryable } from '../../db/types';

export function newLeaseId(): string {
  return randomUUID();
}

export interface LeaseGrant {
  leaseId: string;
  exceptionId: string;
  userId: string;
}

/** Records granted leases (the current one also sits on the exception row). */
export async function insertLeases(
  tx: Queryable,
  grants: readonly LeaseGrant[],
  grantedBy: string,
): Promise<void> {
  if (grants.length === 0) return;
  await tx.query(
    `INSERT INTO leases (lease_id, exception_id, user_id, granted_by)
     SELECT l, x, u, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS g(l, x, u)`,
    [grants.map((g) => g.leaseId), grants.map((g) => g.exceptionId), grants.map((g) => g.userId), grantedBy],
  );
}

/** Marks leases as ended with the reason a renew or a superseded push will report. */
export async function endLeases(tx: Queryable, leaseIds: readonly string[], reason: string): Promise<void> {
  if (leaseIds.length === 0) return;
  await tx.query(
    `UPDATE leases SET ended_at = now(), end_reason = $2 WHERE lease_id = ANY($1::text[]) AND ended_at IS NULL`,
    [[...leaseIds], reason],
  );
}

export async function endLeasesWithReasons(
  tx: Queryable,
  ended: readonly { leaseId: string; reason: string }[],
): Promise<void> {
  if (ended.length === 0) return;
  await tx.query(
    `UPDATE leases SET ended_at = now(), end_reason = r.reason
     FROM unnest($1::text[], $2::text[]) AS r(lease_id, reason)
     WHERE leases.lease_id = r.lease_id AND leases.ended_at IS NULL`,
    [ended.map((e) => e.leaseId), ended.map((e) => e.reason)],
  );
}

export interface LeaseHistory {
  leaseId: string;
  exceptionId: string;
  userId: string;
  endReason: string | null;
}

export async function findLeases(
  db: Queryable,
  leaseIds: readonly string[],
): Promise<Map<string, LeaseHistory>> {
  if (leaseIds.length === 0) return new Map();
  const rows = await db.query<{
    lease_id: string;
    exception_id: string;
    user_id: string;
    end_reason: string | null;
  }>(`SELECT lease_id, exception_id, user_id, end_reason FROM leases WHERE lease_id = ANY($1::text[])`, [
    [...new Set(leaseIds)],
  ]);
  return new Map(
    rows.map((r) => [
      r.lease_id,
      { leaseId: r.lease_id, exceptionId: r.exception_id, userId: r.user_id, endReason: r.end_reason },
    ]),
  );
}

export function toLease(leaseId: string, exceptionId: string, userId: string, expiresAt: Date): Lease {
  return { leaseId, exceptionId, userId, expiresAt: expiresAt.toISOString() };
}
