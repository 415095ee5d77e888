import type { Queryable } from '../db/types';
import { chainHash, GENESIS_HASH } from './chain';

export type VerifyResult =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenId: string; reason: string };

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string;
  details: unknown;
  prev_hash: string;
  hash: string;
}

const PAGE = 5000;

/**
 * Walks audit_log in id order and recomputes every hash. The first row whose prev_hash is not
 * its predecessor's hash (a row deleted or inserted before it) or whose hash does not match its
 * content (the row edited) is named. Editing a row and re-hashing it breaks the next row instead,
 * so the chain still points at the place of the tampering.
 */
export async function verifyAuditChain(db: Queryable): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let after = '0';
  let count = 0;
  for (;;) {
    const rows = await db.query<AuditRow>(
      `SELECT id, at, actor_id, action, entity, entity_id, details, prev_hash, hash
       FROM audit_log WHERE id > $1::int8 ORDER BY id LIMIT $2`,
      [after, PAGE],
    );
    for (const row of rows) {
      if (row.prev_hash !== prev) {
        return { ok: false, rows: count, brokenId: row.id, reason: 'prev_hash does not match the previous row' };
      }
      const expected = chainHash(prev, {
        at: row.at.toISOString(),
        actorId: row.actor_id,
        action: row.action,
        entity: row.entity,
        entityId: row.entity_id,
        details: row.details,
      });
      if (row.hash !== expected) {
        return { ok: false, rows: count, brokenId: row.id, reason: 'hash does not match the row content' };
      }
      prev = row.hash;
      after = row.id;
      count += 1;
    }
    if (rows.length < PAGE) return { ok: true, rows: count };
  }
}
