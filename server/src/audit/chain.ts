import { createHash } from 'node:crypto';

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** What one audit row says; the hash covers exactly these fields. */
export interface AuditContent {
  /** ISO-8601 UTC with milliseconds, as stored (timestamptz round-trips milliseconds exactly). */
  at: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string;
  details: unknown;
}

/**
 * JSON with object keys sorted at every depth. jsonb does not keep key order, so the hash must
 * not depend on it; arrays keep their order. Only JSON values are expected (the details we
 * write are strings, small integers, booleans and null, which jsonb returns unchanged).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`not a JSON value: ${String(value)}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash = sha256(prev_hash + "\n" + canonical content), hex. */
export function chainHash(prevHash: string, content: AuditContent): string {
  const canonical = canonicalJson({
    at: content.at,
    actorId: content.actorId,
    action: content.action,
    entity: content.entity,
    entityId: content.entityId,
    details: content.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** An audit_log row as both drivers return it (snake_case columns, timestamptz as Date). */
export interface AuditLogRow {
  at: Date;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string;
  details: unknown;
}

/** The chain hash of a stored row: the sequencer seals with it and the verifier recomputes it. */
export function chainHashOfRow(prevHash: string, row: AuditLogRow): string {
  return chainHash(prevHash, {
    at: row.at.toISOString(),
    actorId: row.actor_id,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    details: row.details,
  });
}
