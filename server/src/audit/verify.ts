import type { Queryable } from '../db/types';
import { chainHashOfRow, GENESIS_HASH, type AuditLogRow } from './chain';

export type VerifyResult =
  { ok: true; rows: number; pending: number } | { ok: false; rows: number; brokenId: string; reason: string };

interface ChainRow {
  position: string;
  audit_id: string;
  prev_hash: string;
  hash: string;
  id: string | null;
  at: Date | null;
  actor_id: string | null;
  action: string | null;
  entity: string | null;
  entity_id: string | null;
  details: unknown;
}

/** A chain entry whose audit_log row still exists (the LEFT JOIN found it). */
function hasLogRow(row: ChainRow): row is ChainRow & AuditLogRow & { id: string } {
  return (
    row.id !== null && row.at !== null && row.action !== null && row.entity !== null && row.entity_id !== null
  );
}

const PAGE = 5000;

/**
 * Walks the chain in order and recomputes every hash from the audit_log row it seals. Names (by
 * audit_log id) the first row whose content no longer matches its hash (edited), or whose
 * prev_hash is not its predecessor's hash (a row removed or inserted before it). Then checks that
 * every audit row is either sealed or waiting for the sequencer (`pending`): a row that is neither
 * was slipped in around the API.
 */
export async function verifyAuditChain(db: Queryable): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let after = '0';
  let count = 0;
  for (;;) {
    const rows = await db.query<ChainRow>(
      `SELECT c.position, c.audit_id, c.prev_hash, c.hash, a.id, a.at, a.actor_id, a.action, a.entity, a.entity_id, a.details
       FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.audit_id
       WHERE c.position > $1::int8 ORDER BY c.position LIMIT $2`,
      [after, PAGE],
    );
    for (const row of rows) {
      if (row.prev_hash !== prev) {
        return {
          ok: false,
          rows: count,
          brokenId: row.audit_id,
          reason: 'prev_hash does not match the previous row',
        };
      }
      if (!hasLogRow(row)) {
        return { ok: false, rows: count, brokenId: row.audit_id, reason: 'the sealed audit row is missing' };
      }
      const expected = chainHashOfRow(prev, row);
      if (row.hash !== expected) {
        return {
          ok: false,
          rows: count,
          brokenId: row.audit_id,
          reason: 'hash does not match the row content',
        };
      }
      prev = row.hash;
      after = row.position;
      count += 1;
    }
    if (rows.length < PAGE) break;
  }
  const stray = await db.query<{ id: string }>(
    `SELECT a.id FROM audit_log a
     WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.audit_id = a.id)
     ORDER BY a.id LIMIT 1`,
  );
  if (stray[0])
    return { ok: false, rows: count, brokenId: stray[0].id, reason: 'the row is not in the chain' };
  const pending = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_pending');
  return { ok: true, rows: count, pending: pending[0]?.n ?? 0 };
}
