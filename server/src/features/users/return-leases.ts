import { assertTransition } from '@shared/exception-status';
import { appendAudit } from '../../audit/log';
import { appendToFeed } from '../../db/change-feed';
import type { Queryable } from '../../db/types';
import { endLeases } from '../work/leases-repo';

for (const from of ['assigned', 'in_progress'] as const) assertTransition(from, 'open');

/**
 * Puts every item a user holds back in the queue (deactivation): leases ended with the reason,
 * a feed upsert for everyone who sees the queue and a delete for the holder, one audit row each.
 */
export async function returnLeasesOf(
  tx: Queryable,
  userId: string,
  actorId: string,
  reason: string,
): Promise<number> {
  const rows = await tx.query<{ id: string; lease_id: string; status: string }>(
    `WITH held AS (
       SELECT id, lease_id, status FROM exceptions
        WHERE assignee_id = $1 AND lease_id IS NOT NULL AND status IN ('assigned', 'in_progress')
        FOR UPDATE)
     UPDATE exceptions e SET status = 'open', assignee_id = NULL, lease_id = NULL, lease_expires_at = NULL,
       version = e.version + 1, updated_at = now()
       FROM held h WHERE e.id = h.id
     RETURNING e.id, h.lease_id, h.status`,
    [userId],
  );
  if (rows.length === 0) return 0;
  await endLeases(
    tx,
    rows.map((r) => r.lease_id),
    reason,
  );
  await appendToFeed(
    tx,
    rows.flatMap((r) => [
      { entity: 'exception' as const, entityId: r.id, op: 'upsert' as const, data: null, audience: null },
      { entity: 'exception' as const, entityId: r.id, op: 'delete' as const, data: null, audience: userId },
    ]),
  );
  await appendAudit(
    tx,
    rows.map((r) => ({
      actorId,
      action: 'lease.released',
      entity: 'exception',
      entityId: r.id,
      details: { leaseId: r.lease_id, previousHolder: userId, previousStatus: r.status, reason },
    })),
  );
  return rows.length;
}
