import type { LeasedItem } from '@shared/api/work';
import { assertTransition, type ExceptionStatus } from '@shared/exception-status';
import type { ExceptionType } from '@shared/exception-types';
import type { AuthUser } from '../../auth/auth-user';
import type { Database } from '../../db/types';
import { EXCEPTION_COLUMNS, rowToRecord, type ExceptionRow } from '../exceptions/row-mapping';
import { toLease } from './leases-repo';
import { BANDS, bandRangeSql, PRIORITIES } from './urgency';

export interface AllocationSettings {
  leaseTtlSeconds: number;
  slaGoalWindowSeconds: number;
  maxLeasesPerOperator: number;
  /** A skipped item is not offered again to its skipper for this long. */
  skipCooldownSeconds: number;
}

/**
 * Statuses get-next may take an item from: queued work, and held work whose lease has expired.
 * Checked against the lifecycle table when this module loads, so the SQL below can never move
 * an exception along a transition shared/exception-status.ts does not allow.
 */
const QUEUED: ExceptionStatus = 'open';
/** A QA review failed it: back to the operator who resolved it (features/qa/review-submit.ts). */
const REWORK: ExceptionStatus = 'rework';
const LEASED: readonly ExceptionStatus[] = ['assigned', 'in_progress'];
for (const from of [QUEUED, REWORK, ...LEASED]) assertTransition(from, 'assigned');
const LEASED_SQL = LEASED.map((s) => `'${s}'`).join(', ');

/** Slack over `count`: candidates other transactions may be locking at the same moment. */
const CANDIDATE_SLACK = 32;

/**
 * get-next as ONE statement (one round trip, autocommit, prepared once per connection). Measured
 * on a loaded 2-core machine each client round trip inside a transaction cost milliseconds, and
 * the first version (ten statements in a transaction) missed the p99 target by two orders of
 * magnitude; this one does everything inside PostgreSQL:
 *
 * 1. candidates, read without locks: expired leases, then 15 short index ranges of
 *    exceptions_open_queue, one per (SLA band, priority) (see urgency.ts), read in that order
 *    and only until there are enough;
 * 2. the best `need` of them locked FOR UPDATE SKIP LOCKED: rows another transaction is
 *    allocating right now are passed over, not waited for, and a row a concurrent transaction
 *    has just committed as assigned fails the re-checked WHERE and drops out. So no two
 *    transactions, on one server or two, can lease one exception; the single lease columns on
 *    the row and the unique index on exceptions.lease_id make "two holders" unrepresentable;
 * 3. the rows updated (new lease), the previous lease (expired, re-allocated) ended, the lease
 *    history written, a feed row per item for the new holder plus a delete for an operator whose
 *    expired item was taken, an audit row per lease queued for sealing.
 *
 * $1 user, $2 narrowing types or null, $3 goal window s, $4 candidates, $5 count asked,
 * $6 max leases held, $7 lease TTL s, $8 audit timestamp (ISO), $9 skip cool-down s (an item the
 * caller skipped is not a candidate for them until it has passed).
 */
const GET_NEXT_SQL = (() => {
  const allowed = `type IN (SELECT type FROM allowed)`;
  // Already in allocation order: expired leases first (they have waited a whole lease TTL), then
  // band 0 priority 1 .. band 2 priority 5, each by due time. Append runs the branches in this
  // order and the LIMIT stops it as soon as it has enough rows, so a call reads about `$4` index
  // entries, not 16 x $4 (measured: this halved get-next's CPU under 200 operators).
  const branches = [
    // Returned to this operator by a lead (a rejected write-off): theirs alone, and first.
    `(SELECT id, -1 AS grp, sla_due_at FROM exceptions
        WHERE status = '${QUEUED}' AND assignee_id = $1 AND ${allowed}
        ORDER BY sla_due_at LIMIT $4)`,
    // Sent back by a QA reviewer as rework: theirs first, then rework whose operator can no longer
    // take it (anyone allowed the type). Partial index exceptions_rework.
    `(SELECT id, -1 AS grp, sla_due_at FROM exceptions
        WHERE status = '${REWORK}' AND assignee_id = $1 AND ${allowed}
        ORDER BY sla_due_at LIMIT $4)`,
    `(SELECT id, -1 AS grp, sla_due_at FROM exceptions
        WHERE status = '${REWORK}' AND assignee_id IS NULL AND ${allowed}
        ORDER BY sla_due_at LIMIT $4)`,
    `(SELECT id, 0 AS grp, sla_due_at FROM exceptions
        WHERE lease_id IS NOT NULL AND lease_expires_at < now() AND status IN (${LEASED_SQL}) AND ${allowed}
        ORDER BY lease_expires_at LIMIT $4)`,
    ...BANDS.flatMap((band) =>
      PRIORITIES.map(
        (p) => `(SELECT id, ${1 + band * PRIORITIES.length + p} AS grp, sla_due_at FROM exceptions
        WHERE status = '${QUEUED}' AND priority = ${p} AND ${bandRangeSql(band, 3)} AND assignee_id IS NULL
          AND (skipped_by IS DISTINCT FROM $1 OR skipped_at < now() - make_interval(secs => $9))
          AND ${allowed}
        ORDER BY sla_due_at LIMIT $4)`,
      ),
    ),
  ];
  const returning = EXCEPTION_COLUMNS.map((c) => `e.${c}`).join(', ');
  return `WITH allowed AS MATERIALIZED (
      SELECT type FROM user_work_types WHERE user_id = $1 AND ($2::text[] IS NULL OR type = ANY($2::text[]))
    ), cand AS MATERIALIZED (
      SELECT id, grp, sla_due_at, row_number() OVER () AS rank
      FROM (SELECT * FROM (${branches.join('\n UNION ALL ')}) u LIMIT $4) c
    ), picked AS (
      SELECT e.id, e.assignee_id AS prev_holder, e.lease_id AS prev_lease, c.rank,
        ((e.status = '${QUEUED}' AND e.assignee_id = $1) OR e.status = '${REWORK}') AS was_returned
      FROM exceptions e JOIN cand c ON c.id = e.id
      WHERE (e.status IN ('${QUEUED}', '${REWORK}') AND (e.assignee_id IS NULL OR e.assignee_id = $1))
         OR (e.status IN (${LEASED_SQL}) AND e.lease_id IS NOT NULL AND e.lease_expires_at < now())
      ORDER BY c.rank
      LIMIT GREATEST(0, LEAST($5::int,
        $6::int - (SELECT count(*) FROM exceptions WHERE assignee_id = $1 AND lease_id IS NOT NULL)::int))
      FOR UPDATE OF e SKIP LOCKED
    ), upd AS (
      UPDATE exceptions e SET status = 'assigned', assignee_id = $1, lease_id = gen_random_uuid()::text,
        lease_expires_at = now() + make_interval(secs => $7), version = e.version + 1, updated_at = now()
      FROM picked p WHERE e.id = p.id
      RETURNING ${returning}, e.lease_id AS new_lease, e.lease_expires_at, p.prev_holder, p.prev_lease, p.rank,
        CASE WHEN p.was_returned THEN e.returned_reason END AS returned_reason,
        CASE WHEN p.was_returned THEN e.returned_by END AS returned_by,
        CASE WHEN p.was_returned THEN e.returned_at END AS returned_at,
        CASE WHEN p.was_returned THEN (SELECT display_name FROM users WHERE id = e.returned_by) END
          AS returned_by_name
    ), ended AS (
      UPDATE leases SET ended_at = now(), end_reason = 'the lease expired and the item was allocated again'
      WHERE lease_id IN (SELECT prev_lease FROM upd WHERE prev_lease IS NOT NULL) AND ended_at IS NULL
    ), granted AS (
      INSERT INTO leases (lease_id, exception_id, user_id, granted_by) SELECT new_lease, id, $1, $1 FROM upd
    ), feed AS (
      INSERT INTO change_feed (entity, entity_id, op, data, audience)
      SELECT 'exception', id, 'upsert', NULL::jsonb, $1 FROM upd
      UNION ALL
      SELECT 'exception', id, 'delete', NULL::jsonb, prev_holder FROM upd WHERE prev_holder IS NOT NULL AND prev_holder <> $1
    ), audited AS (
      INSERT INTO audit_log (at, actor_id, action, entity, entity_id, details)
      SELECT $8::timestamptz, $1, 'lease.granted', 'exception', id, jsonb_build_object(
        'leaseId', new_lease, 'userId', $1::text, 'via', 'get-next',
        'expiresAt', to_char(lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'previousLeaseId', prev_lease, 'previousHolder', prev_holder)
      FROM upd
      RETURNING id
    ), pending AS (
      INSERT INTO audit_pending (audit_id) SELECT id FROM audited
    )
    SELECT * FROM upd ORDER BY rank`;
})();

type GrantedRow = ExceptionRow & {
  new_lease: string;
  lease_expires_at: Date;
  returned_reason: string | null;
  returned_by: string | null;
  returned_at: Date | null;
  returned_by_name: string | null;
};

/**
 * Leases up to `count` of the most urgent queued exceptions of the types the user may work
 * (narrowed by `types`), within their cap of held leases. The feed and audit rows become visible
 * at the sequencer's next pass (db/sequencer.ts); the caller schedules it.
 */
export async function getNext(
  db: Database,
  user: AuthUser,
  request: { types?: readonly ExceptionType[] | undefined; count: number },
  settings: AllocationSettings,
): Promise<LeasedItem[]> {
  const run = (candidates: number): Promise<GrantedRow[]> =>
    db.query<GrantedRow>(
      GET_NEXT_SQL,
      [
        user.id,
        request.types ? [...request.types] : null,
        settings.slaGoalWindowSeconds,
        candidates,
        request.count,
        settings.maxLeasesPerOperator,
        settings.leaseTtlSeconds,
        new Date().toISOString(),
        settings.skipCooldownSeconds,
      ],
      { prepare: 'ledgerdesk_get_next' },
    );
  let rows = await run(request.count + CANDIDATE_SLACK);
  // Nothing, yet the queue may not be empty: every candidate was taken by operators who committed
  // while this statement ran (hundreds of operators at the head of one queue). Look deeper once.
  if (rows.length === 0) rows = await run((request.count + CANDIDATE_SLACK) * 8);
  return rows.map((row) => {
    const record = rowToRecord(row);
    const lease = toLease(row.new_lease, record.id, user.id, row.lease_expires_at);
    if (row.returned_reason === null || row.returned_by === null || row.returned_at === null)
      return { exception: record, lease };
    const returned = {
      reason: row.returned_reason,
      by: row.returned_by,
      at: row.returned_at.toISOString(),
      ...(row.returned_by_name === null ? {} : { byName: row.returned_by_name }),
    };
    return { exception: record, lease, returned };
  });
}

/**
 * Runs the get-next statement once on each of the database's connections, for a user who does
 * not exist (no work types: nothing is read, leased or written), so every connection holds it
 * prepared with its plan before the first operator calls: a cold connection's first get-next
 * costs ~40 ms, which at a start-of-shift rush is the whole p99. PGlite prepares nothing.
 */
export async function warmGetNext(db: Database, settings: AllocationSettings): Promise<void> {
  if (db.kind === 'pglite') return;
  const nobody: AuthUser = { id: 'warm-up', username: 'warm-up', roles: ['operator'] };
  await Promise.all(
    Array.from({ length: db.connections }, () => getNext(db, nobody, { count: 1 }, settings)),
  );
}
