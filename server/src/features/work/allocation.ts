import { assertTransition, exceptionStatusSchema } from '../../../../shared/exception-status';
import type { ExceptionType } from '../../../../shared/exception-types';
import type { LeasedItem } from '../../../../shared/api/work';
import { appendAudit, type AuditEntry } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { appendToFeed, type FeedEntry } from '../../db/change-feed';
import type { Database } from '../../db/types';
import { EXCEPTION_COLUMNS, rowToRecord, type ExceptionRow } from '../exceptions/row-mapping';
import { endLeases, insertLeases, newLeaseId, toLease } from './leases-repo';
import { BANDS, bandRangeSql, bandSql, PRIORITIES } from './urgency';

export interface AllocationSettings {
  leaseTtlSeconds: number;
  slaGoalWindowSeconds: number;
  maxLeasesPerOperator: number;
}

/**
 * Candidates are read without locks (15 short index ranges, plus expired leases), then the
 * best `need` of them are locked with SKIP LOCKED: rows another transaction is allocating right
 * now are passed over instead of waited for, and a row that a concurrent transaction committed
 * as assigned fails the re-checked WHERE and drops out. So two transactions, on one server or
 * two, can never lease one exception at once; the unique index on exceptions.lease_id and the
 * single lease columns on the row make "two holders" unrepresentable besides.
 *
 * Parameters: $1 user id, $2 narrowing types (or null), $3 goal window s, $4 candidates, $5 need.
 */
export const PICK_SQL = (() => {
  const allowed = `type IN (SELECT type FROM allowed)`;
  const branches = BANDS.flatMap((band) =>
    PRIORITIES.map(
      (p) => `(SELECT id, ${band} AS band, ${p} AS prio, sla_due_at FROM exceptions
        WHERE status = 'open' AND priority = ${p} AND ${bandRangeSql(band, 3)} AND ${allowed}
        ORDER BY sla_due_at LIMIT $4)`,
    ),
  );
  // An expired lease is queued work again. Few rows normally; read by their expiry index.
  branches.push(`(SELECT id, ${bandSql('sla_due_at', 3)} AS band, priority AS prio, sla_due_at FROM exceptions
        WHERE lease_id IS NOT NULL AND lease_expires_at < now() AND status IN ('assigned', 'in_progress')
          AND ${allowed}
        ORDER BY lease_expires_at LIMIT $4)`);
  return `WITH allowed AS MATERIALIZED (
      SELECT type FROM user_work_types WHERE user_id = $1 AND ($2::text[] IS NULL OR type = ANY($2::text[]))
    ), cand AS (
      SELECT id FROM (${branches.join('\n UNION ALL ')}) c ORDER BY band, prio, sla_due_at, id LIMIT $4
    )
    SELECT e.id, e.status, e.assignee_id, e.lease_id
    FROM exceptions e
    WHERE e.id IN (SELECT id FROM cand)
      AND (e.status = 'open'
        OR (e.status IN ('assigned', 'in_progress') AND e.lease_id IS NOT NULL AND e.lease_expires_at < now()))
    ORDER BY ${bandSql('e.sla_due_at', 3)}, e.priority, e.sla_due_at, e.id
    LIMIT $5
    FOR UPDATE OF e SKIP LOCKED`;
})();

const RETURNING = [...EXCEPTION_COLUMNS.map((c) => `e.${c}`), 'e.lease_id', 'e.lease_expires_at'].join(', ');

interface PickedRow {
  id: string;
  status: string;
  assignee_id: string | null;
  lease_id: string | null;
}

/** Slack over `need`: candidates other transactions may be locking at the same moment. */
const CANDIDATE_SLACK = 32;

/**
 * get-next: leases up to `count` of the most urgent queued exceptions of the types the user is
 * allowed (narrowed by `types`), within their cap of held leases. One transaction: the rows, the
 * lease history, a feed row per item (and a delete for an operator whose expired lease is taken),
 * and an audit row per lease.
 */
export async function getNext(
  db: Database,
  user: AuthUser,
  request: { types?: readonly ExceptionType[] | undefined; count: number },
  settings: AllocationSettings,
): Promise<LeasedItem[]> {
  return db.transaction(async (tx) => {
    const held = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM exceptions WHERE assignee_id = $1 AND lease_id IS NOT NULL`,
      [user.id],
    );
    let need = Math.min(request.count, settings.maxLeasesPerOperator - (held[0]?.n ?? 0));
    const items: LeasedItem[] = [];
    const feed: FeedEntry[] = [];
    const audit: AuditEntry[] = [];
    const takenFrom: string[] = [];
    // A second, wider round only when the first came back short (many concurrent pickers).
    for (let round = 0; round < 2 && need > 0; round++) {
      const candidates = (need + CANDIDATE_SLACK) * (round === 0 ? 1 : 8);
      const picked = await tx.query<PickedRow>(PICK_SQL, [
        user.id,
        request.types ? [...request.types] : null,
        settings.slaGoalWindowSeconds,
        candidates,
        need,
      ]);
      if (picked.length === 0) break;
      for (const row of picked) assertTransition(exceptionStatusSchema.parse(row.status), 'assigned');
      const leaseIds = picked.map(() => newLeaseId());
      const updated = await tx.query<ExceptionRow & { lease_id: string; lease_expires_at: Date }>(
        `UPDATE exceptions e SET status = 'assigned', assignee_id = $1, lease_id = g.lease_id,
           lease_expires_at = now() + make_interval(secs => $4), version = e.version + 1, updated_at = now()
         FROM unnest($2::text[], $3::text[]) AS g(id, lease_id)
         WHERE e.id = g.id
         RETURNING ${RETURNING}`,
        [user.id, picked.map((r) => r.id), leaseIds, settings.leaseTtlSeconds],
      );
      await insertLeases(
        tx,
        updated.map((r) => ({ leaseId: r.lease_id, exceptionId: String(r.id), userId: user.id })),
        user.id,
      );
      const previous = new Map(picked.map((r) => [r.id, r]));
      // RETURNING comes back in no particular order; hand items out in urgency order.
      const rank = new Map(picked.map((r, i) => [r.id, i]));
      updated.sort((a, b) => (rank.get(String(a.id)) ?? 0) - (rank.get(String(b.id)) ?? 0));
      for (const row of updated) {
        const record = rowToRecord(row);
        const before = previous.get(record.id);
        items.push({ exception: record, lease: toLease(row.lease_id, record.id, user.id, row.lease_expires_at) });
        feed.push({ entity: 'exception', entityId: record.id, op: 'upsert', data: null, audience: user.id });
        if (before?.lease_id) takenFrom.push(before.lease_id);
        if (before?.assignee_id && before.assignee_id !== user.id) {
          feed.push({ entity: 'exception', entityId: record.id, op: 'delete', data: null, audience: before.assignee_id });
        }
        audit.push({
          actorId: user.id,
          action: 'lease.granted',
          entity: 'exception',
          entityId: record.id,
          details: {
            leaseId: row.lease_id,
            userId: user.id,
            via: 'get-next',
            expiresAt: row.lease_expires_at.toISOString(),
            previousLeaseId: before?.lease_id ?? null,
            previousHolder: before?.assignee_id ?? null,
          },
        });
      }
      need -= updated.length;
    }
    await endLeases(tx, takenFrom, 'the lease expired and the item was allocated again');
    await appendToFeed(tx, feed);
    await appendAudit(tx, audit);
    return items;
  });
}
