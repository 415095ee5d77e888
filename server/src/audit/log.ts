import type { Queryable } from '../db/types';
import type { AuditContent } from './chain';

export type AuditEntry = Omit<AuditContent, 'at'>;

/**
 * Appends audit rows in the caller's transaction (so an action and its audit row commit or roll
 * back together) and queues them for sealing. No lock: the hash chain is extended by the
 * sequencer (db/sequencer.ts) after commit, in the order rows became visible.
 */
export async function appendAudit(
  tx: Queryable,
  entries: readonly AuditEntry[],
  at = new Date(),
): Promise<void> {
  if (entries.length === 0) return;
  const iso = at.toISOString();
  await tx.query(
    `WITH ins AS (
       INSERT INTO audit_log (at, actor_id, action, entity, entity_id, details)
       SELECT $1::timestamptz, r.actor_id, r.action, r.entity, r.entity_id, r.details
       FROM jsonb_to_recordset($2::jsonb) AS r(ord int, actor_id text, action text, entity text, entity_id text,
         details jsonb)
       ORDER BY r.ord
       RETURNING id)
     INSERT INTO audit_pending (audit_id) SELECT id FROM ins`,
    [
      iso,
      JSON.stringify(
        entries.map((e, i) => ({
          ord: i,
          actor_id: e.actorId,
          action: e.action,
          entity: e.entity,
          entity_id: e.entityId,
          details: e.details,
        })),
      ),
    ],
  );
}
