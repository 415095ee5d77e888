import { assertTransition } from '@shared/exception-status';
import { appendAudit } from '../../audit/log';
import { appendToFeed } from '../../db/change-feed';
import type { Database } from '../../db/types';

// The move this sweep makes must stay a legal one.
assertTransition('pending_partner', 'open');

/**
 * Items an operator parked as pending-partner come back to the queue on their follow-up date
 * (the date of the resolution that parked them), so a partner who never answers cannot make an
 * exception disappear. Safe to run from every server at once: the UPDATE's WHERE re-checks the
 * status under the row lock, so an item is returned once. Returns how many came back.
 */
export async function returnDueFollowUps(db: Database, today = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string; assignee_id: string | null; follow_up_date: string }>(
      `WITH due AS (
         SELECT DISTINCT ON (r.exception_id) r.exception_id, r.follow_up_date
         FROM exception_resolutions r JOIN exceptions e ON e.id = r.exception_id
         WHERE e.status = 'pending_partner'
         ORDER BY r.exception_id, r.recorded_at DESC, r.id DESC
       ), prev AS (
         SELECT e.id, e.assignee_id FROM exceptions e JOIN due d ON d.exception_id = e.id
         WHERE d.follow_up_date <= $1::date AND e.status = 'pending_partner'
         FOR UPDATE OF e
       )
       UPDATE exceptions e SET status = 'open', assignee_id = NULL, lease_id = NULL, lease_expires_at = NULL,
         version = e.version + 1, updated_at = now()
       FROM prev p, due d WHERE e.id = p.id AND d.exception_id = e.id
       RETURNING e.id, p.assignee_id, to_char(d.follow_up_date, 'YYYY-MM-DD') AS follow_up_date`,
      [today.toISOString().slice(0, 10)],
    );
    if (rows.length === 0) return 0;
    await appendToFeed(
      tx,
      rows.flatMap((r) => [
        { entity: 'exception' as const, entityId: r.id, op: 'upsert' as const, data: null, audience: null },
        ...(r.assignee_id
          ? [
              {
                entity: 'exception' as const,
                entityId: r.id,
                op: 'delete' as const,
                data: null,
                audience: r.assignee_id,
              },
            ]
          : []),
      ]),
    );
    await appendAudit(
      tx,
      rows.map((r) => ({
        actorId: null,
        action: 'follow_up.due',
        entity: 'exception',
        entityId: r.id,
        details: { followUpDate: r.follow_up_date, previousHolder: r.assignee_id, to: 'open' },
      })),
    );
    return rows.length;
  });
}
