import type { Returned } from '@shared/api/work';
import { BANDS, PRIORITIES, type UrgencyBand } from '@shared/urgency';
import type { SqliteDatabase } from './database';

export type LeaseState = 'held' | 'working' | 'done' | 'lost';

export interface LeaseRow {
  leaseId: string;
  exceptionId: string;
  userId: string;
  /** Epoch ms. */
  expiresAt: number;
  state: LeaseState;
  lostReason: string | null;
  acquiredAt: number;
  updatedAt: number;
  /** Set when this grant handed back an item a lead rejected: the lead's reason, as the server sent it. */
  returned: Returned | null;
}

/** The allocation order of shared/urgency.ts: SLA band, priority, SLA, id. */
export interface UrgencyClock {
  now: number;
  /** The SLA goal window: an item due within it ranks before calmer work of any priority. */
  goalWindowMs: number;
}

/**
 * The local copy of the operator's leases: what get-next reads offline. A lease is *active*
 * while held or working; done once resolved or skipped here (its result may still wait in the
 * outbox); lost when the server says it is no longer the operator's.
 */
export interface LeaseRepo {
  /** A lease the server just granted; an older active lease of the same item for the user is superseded by it. */
  granted(
    lease: {
      leaseId: string;
      exceptionId: string;
      userId: string;
      expiresAt: number;
      returned?: Returned | undefined;
    },
    now: number,
  ): void;
  active(userId: string, exceptionId: string): LeaseRow | null;
  /** The newest lease of the user on the item, whatever its state. */
  latest(userId: string, exceptionId: string): LeaseRow | null;
  get(leaseId: string): LeaseRow | null;
  setState(leaseId: string, state: 'working' | 'done', now: number): void;
  /**
   * Marks an active lease lost. A done one keeps its state (its result decides on the server)
   * unless `includeDone`: the server kept that result as superseded, so the lease was lost.
   */
  markLost(leaseId: string, reason: string, now: number, includeDone?: boolean): boolean;
  renewed(leaseId: string, expiresAt: number, now: number): void;
  /** Active leases of a user, for renewal. */
  allActive(userId: string): LeaseRow[];
  /** Active leases whose exception is no longer in the local store (a pull took it away). */
  orphans(userId: string): LeaseRow[];
  countActive(userId: string): number;
  /**
   * Items a lead sent back to this operator that the desk holds no lease for yet: the pull shows
   * them `open` with the operator as assignee (the server's mark for "returned, theirs alone").
   */
  countReturnedWaiting(userId: string): number;
  /** The most urgent active lease with its exception in the local store: started work first. */
  next(userId: string, clock: UrgencyClock, types?: readonly string[]): LeaseRow | null;
  /** Active leases, most urgent first, and lost ones, newest first. */
  list(userId: string, clock: UrgencyClock, lostLimit: number): { held: LeaseRow[]; lost: LeaseRow[] };
}

interface Row {
  lease_id: string;
  exception_id: string;
  user_id: string;
  expires_at: number;
  state: LeaseState;
  lost_reason: string | null;
  acquired_at: number;
  updated_at: number;
  returned_reason: string | null;
  returned_by: string | null;
  returned_at: string | null;
  /** Migration 11: the lead's display name as get-next said it (null before, or from an older server). */
  returned_by_name: string | null;
}

const toLease = (r: Row): LeaseRow => ({
  leaseId: r.lease_id,
  exceptionId: r.exception_id,
  userId: r.user_id,
  expiresAt: r.expires_at,
  state: r.state,
  lostReason: r.lost_reason,
  acquiredAt: r.acquired_at,
  updatedAt: r.updated_at,
  returned:
    r.returned_reason !== null && r.returned_by !== null && r.returned_at !== null
      ? {
          reason: r.returned_reason,
          by: r.returned_by,
          at: r.returned_at,
          ...(r.returned_by_name === null ? {} : { byName: r.returned_by_name }),
        }
      : null,
});

const ACTIVE = `l.state IN ('held', 'working')`;
const BAND_RANGE: Record<UrgencyBand, string> = {
  0: 'e.sla_due <= @now',
  1: 'e.sla_due > @now AND e.sla_due <= @now + @goal',
  2: 'e.sla_due > @now + @goal',
};
const URGENCY = `CASE WHEN e.sla_due <= @now THEN 0 WHEN e.sla_due <= @now + @goal THEN 1 ELSE 2 END,
  e.priority, e.sla_due, e.id`;

export function createLeaseRepo(db: SqliteDatabase): LeaseRepo {
  const replaceOlder = db.prepare<[number, string, string, string]>(
    `UPDATE leases SET state = 'lost', lost_reason = 'replaced by a newer lease on the same item', updated_at = ?
     WHERE user_id = ? AND exception_id = ? AND lease_id <> ? AND state IN ('held', 'working')`,
  );
  // The same grant seen twice (a retried answer) keeps what it said about a return: the server
  // sends the reason once, with the grant, and a repeat without it must not erase it.
  const upsert = db.prepare<
    [
      string,
      string,
      string,
      number,
      number,
      number,
      string | null,
      string | null,
      string | null,
      string | null,
    ]
  >(
    `INSERT INTO leases (lease_id, exception_id, user_id, expires_at, state, acquired_at, updated_at,
       returned_reason, returned_by, returned_at, returned_by_name)
     VALUES (?, ?, ?, ?, 'held', ?, ?, ?, ?, ?, ?)
     ON CONFLICT (lease_id) DO UPDATE SET expires_at = excluded.expires_at, updated_at = excluded.updated_at,
       returned_reason = coalesce(excluded.returned_reason, returned_reason),
       returned_by = coalesce(excluded.returned_by, returned_by),
       returned_at = coalesce(excluded.returned_at, returned_at),
       returned_by_name = coalesce(excluded.returned_by_name, returned_by_name)`,
  );
  const selectActive = db.prepare<[string, string], Row>(
    `SELECT * FROM leases l WHERE user_id = ? AND exception_id = ? AND ${ACTIVE} ORDER BY acquired_at DESC LIMIT 1`,
  );
  const selectLatest = db.prepare<[string, string], Row>(
    `SELECT * FROM leases WHERE user_id = ? AND exception_id = ? ORDER BY acquired_at DESC, updated_at DESC LIMIT 1`,
  );
  const selectOne = db.prepare<[string], Row>(`SELECT * FROM leases WHERE lease_id = ?`);
  const setStateStmt = db.prepare<[string, number, string]>(
    `UPDATE leases SET state = ?, updated_at = ? WHERE lease_id = ?`,
  );
  const setLost = db.prepare<[string, number, string]>(
    `UPDATE leases SET state = 'lost', lost_reason = ?, updated_at = ? WHERE lease_id = ? AND state IN ('held', 'working')`,
  );
  const setLostAny = db.prepare<[string, number, string]>(
    `UPDATE leases SET state = 'lost', lost_reason = ?, updated_at = ? WHERE lease_id = ? AND state <> 'lost'`,
  );
  const setExpiry = db.prepare<[number, number, string]>(
    `UPDATE leases SET expires_at = ?, updated_at = ? WHERE lease_id = ?`,
  );
  const allActiveStmt = db.prepare<[string], Row>(
    `SELECT * FROM leases l WHERE user_id = ? AND ${ACTIVE} ORDER BY acquired_at`,
  );
  const orphansStmt = db.prepare<[string], Row>(
    `SELECT l.* FROM leases l WHERE l.user_id = ? AND ${ACTIVE}
       AND NOT EXISTS (SELECT 1 FROM exceptions e WHERE e.id = l.exception_id)`,
  );
  const countActiveStmt = db
    .prepare<[string]>(`SELECT COUNT(*) FROM leases l WHERE user_id = ? AND ${ACTIVE}`)
    .pluck();
  const returnedWaitingStmt = db
    .prepare<[{ user: string }]>(
      `SELECT COUNT(*) FROM exceptions e JOIN exception_docs d ON d.rid = e.rid
       WHERE e.status = 'open' AND d.assignee_id = @user
         AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.exception_id = e.id AND l.user_id = @user AND ${ACTIVE})`,
    )
    .pluck();
  // get-next runs on every "next item" keypress, with up to a shift of leases in hand: read one
  // short index range per (status, SLA band, priority) of exceptions_status_queue, as the server
  // does (server/src/features/work/urgency.ts), instead of sorting every held lease each time.
  const branches = (['in_progress', 'assigned'] as const).flatMap((status, si) =>
    BANDS.flatMap((band) =>
      PRIORITIES.map(
        (
          p,
        ) => `SELECT * FROM (SELECT e.id, ${si} AS started, ${band} AS band, e.priority AS prio, e.sla_due AS sla
          FROM exceptions e INDEXED BY exceptions_status_queue
          WHERE e.status = '${status}' AND e.priority = ${p} AND ${BAND_RANGE[band]}
            AND (@types IS NULL OR e.type IN (SELECT value FROM json_each(@types)))
            AND EXISTS (SELECT 1 FROM leases l WHERE l.exception_id = e.id AND l.user_id = @user AND ${ACTIVE})
          ORDER BY e.sla_due, e.id LIMIT 1)`,
      ),
    ),
  );
  const nextStmt = db.prepare<[{ user: string; now: number; goal: number; types: string | null }], Row>(
    `WITH cand AS (${branches.join('\n UNION ALL ')})
     SELECT l.* FROM cand JOIN leases l ON l.exception_id = cand.id AND l.user_id = @user AND ${ACTIVE}
     ORDER BY cand.started, cand.band, cand.prio, cand.sla, cand.id, l.acquired_at DESC LIMIT 1`,
  );
  const heldStmt = db.prepare<[{ user: string; now: number; goal: number }], Row>(
    `SELECT l.* FROM leases l LEFT JOIN exceptions e ON e.id = l.exception_id
     WHERE l.user_id = @user AND ${ACTIVE}
     ORDER BY e.id IS NULL, l.state = 'working' DESC, ${URGENCY}`,
  );
  const lostStmt = db.prepare<[string, number], Row>(
    `SELECT * FROM leases WHERE user_id = ? AND state = 'lost' ORDER BY updated_at DESC, lease_id LIMIT ?`,
  );

  return {
    granted(lease, now) {
      replaceOlder.run(now, lease.userId, lease.exceptionId, lease.leaseId);
      const r = lease.returned;
      upsert.run(
        lease.leaseId,
        lease.exceptionId,
        lease.userId,
        lease.expiresAt,
        now,
        now,
        r?.reason ?? null,
        r?.by ?? null,
        r?.at ?? null,
        r?.byName ?? null,
      );
    },
    active(userId, exceptionId) {
      const row = selectActive.get(userId, exceptionId);
      return row ? toLease(row) : null;
    },
    latest(userId, exceptionId) {
      const row = selectLatest.get(userId, exceptionId);
      return row ? toLease(row) : null;
    },
    get(leaseId) {
      const row = selectOne.get(leaseId);
      return row ? toLease(row) : null;
    },
    setState(leaseId, state, now) {
      setStateStmt.run(state, now, leaseId);
    },
    markLost(leaseId, reason, now, includeDone = false) {
      return (includeDone ? setLostAny : setLost).run(reason, now, leaseId).changes > 0;
    },
    renewed(leaseId, expiresAt, now) {
      setExpiry.run(expiresAt, now, leaseId);
    },
    allActive: (userId) => allActiveStmt.all(userId).map(toLease),
    orphans: (userId) => orphansStmt.all(userId).map(toLease),
    countActive: (userId) => countActiveStmt.get(userId) as number,
    countReturnedWaiting: (userId) => returnedWaitingStmt.get({ user: userId }) as number,
    next(userId, clock, types) {
      const row = nextStmt.get({
        user: userId,
        now: clock.now,
        goal: clock.goalWindowMs,
        types: types && types.length > 0 ? JSON.stringify(types) : null,
      });
      return row ? toLease(row) : null;
    },
    list(userId, clock, lostLimit) {
      return {
        held: heldStmt.all({ user: userId, now: clock.now, goal: clock.goalWindowMs }).map(toLease),
        lost: lostStmt.all(userId, lostLimit).map(toLease),
      };
    },
  };
}
