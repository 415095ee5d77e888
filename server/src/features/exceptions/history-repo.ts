import type { HistoryEntry } from '@shared/api/exceptions';
import type { Queryable } from '../../db/types';

interface RawEntry {
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  kind: string | null;
  reason: string | null;
}

/**
 * The newest audit rows about one exception; null when there is no such exception. Skips keep
 * their reason as `skipReason` (`reason` on a pushed mutation is the server's refusal), so both
 * are read; an applied note shows its text there (the audit row names the note by mutation id).
 */
export async function exceptionHistory(
  db: Queryable,
  exceptionId: string,
  limit: number,
): Promise<HistoryEntry[] | null> {
  const exists = await db.query<{ ok: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM exceptions WHERE id = $1) AS ok',
    [exceptionId],
  );
  if (!exists[0]?.ok) return null;
  const rows = await db.query<RawEntry>(
    `SELECT a.at, a.actor_id, u.display_name AS actor_name, a.action, a.details->>'kind' AS kind,
            COALESCE(a.details->>'skipReason', a.details->>'reason', n.text) AS reason
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
       LEFT JOIN exception_notes n
         ON a.details->>'kind' = 'exception.note' AND a.action = 'mutation.applied'
        AND n.exception_id = a.entity_id AND n.mutation_id = a.details->>'mutationId'
      WHERE a.entity = 'exception' AND a.entity_id = $1
      ORDER BY a.id DESC
      LIMIT $2`,
    [exceptionId, limit],
  );
  return rows.map((r) => ({
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    kind: r.kind,
    reason: r.reason,
  }));
}
