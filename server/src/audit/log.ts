import { LOCK_CHANGE_FEED } from '../db/locks';
import type { Queryable } from '../db/types';
import { chainHash, GENESIS_HASH, type AuditContent } from './chain';

export type AuditEntry = Omit<AuditContent, 'at'>;

/**
 * Appends audit rows in the caller's transaction, chained to the last committed row. The chain
 * needs one writer at a time, so this takes the same transaction-scoped lock as the change feed
 * (a writer that also appends to the feed already holds it; taking it twice is free): id order
 * is then chain order, and a row's predecessor is always committed before it.
 */
export async function appendAudit(tx: Queryable, entries: readonly AuditEntry[], at = new Date()): Promise<void> {
  if (entries.length === 0) return;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_CHANGE_FEED]);
  const last = await tx.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
  let prev = last[0]?.hash ?? GENESIS_HASH;
  const iso = at.toISOString();
  const rows = entries.map((e, i) => {
    const hash = chainHash(prev, { ...e, at: iso });
    const row = {
      ord: i,
      at: iso,
      actor_id: e.actorId,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId,
      details: e.details,
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return row;
  });
  await tx.query(
    `INSERT INTO audit_log (at, actor_id, action, entity, entity_id, details, prev_hash, hash)
     SELECT r.at, r.actor_id, r.action, r.entity, r.entity_id, r.details, r.prev_hash, r.hash
     FROM jsonb_to_recordset($1::jsonb) AS r(ord int, at timestamptz, actor_id text, action text,
       entity text, entity_id text, details jsonb, prev_hash text, hash text)
     ORDER BY r.ord`,
    [JSON.stringify(rows)],
  );
}
