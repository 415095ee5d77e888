import { chainHashOfRow, GENESIS_HASH, type AuditLogRow } from '../audit/chain';
import { callTiming } from './call-timing';
import { seqToNumber } from './change-feed';
import { LOCK_CHANGE_FEED } from './locks';
import type { Database } from './types';

/** The NOTIFY channel that tells every server process (and so every SSE client) to look. */
export const FEED_CHANNEL = 'ledgerdesk_feed';

/** Operator ids listed in one notification at most; beyond it the payload says "everyone". */
const MAX_NOTIFY_USERS = 200;

/**
 * The NOTIFY payload: `{"seq": <new end of the feed>, "users": [operator ids] | null}`, null when
 * more than MAX_NOTIFY_USERS operators are concerned (every listener should look).
 */
export interface PassResult {
  feedRows: number;
  auditRows: number;
  lastSeq: number | null;
}

interface PendingAudit extends AuditLogRow {
  id: string;
}

/**
 * One sequencing pass, in one short transaction under LOCK_CHANGE_FEED:
 * 1. numbers every committed change_feed row without a position (in insert order) after the
 *    highest position so far;
 * 2. seals every committed, unsealed audit_log row into the hash chain;
 * 3. NOTIFYs FEED_CHANNEL (delivered on commit to every process) with the new end of the feed.
 * Passes run one at a time across all processes (the lock), and each sees every transaction that
 * committed before it took the lock, so positions grow in the order rows became visible: a
 * puller that has read up to N never later finds a new row at or below N. Writers themselves hold
 * no global lock; their rows wait (invisible) for the next pass, which batches all of them.
 */
export async function sequencePass(db: Database): Promise<PassResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_CHANGE_FEED]);
    // Number the rows and NOTIFY in one statement (pg_notify is delivered only on COMMIT).
    const feed = await tx.query<{ last: string | null; rows: string }>(
      `WITH base AS (SELECT coalesce(max(pos), 0) AS b FROM change_feed WHERE pos IS NOT NULL),
            todo AS (SELECT seq, row_number() OVER (ORDER BY seq) AS rn FROM change_feed WHERE pos IS NULL),
            upd AS (UPDATE change_feed f SET pos = base.b + todo.rn FROM todo, base WHERE f.seq = todo.seq
                    RETURNING f.pos, f.audience)
       SELECT max(pos) AS last, count(*) AS rows,
              pg_notify($1, json_build_object(
                'seq', max(pos),
                'users', CASE WHEN count(DISTINCT audience) > $2 THEN NULL
                              ELSE coalesce(array_agg(DISTINCT audience) FILTER (WHERE audience IS NOT NULL), '{}') END
              )::text)
       FROM upd HAVING count(*) > 0`,
      [FEED_CHANNEL, MAX_NOTIFY_USERS],
    );
    const pending = await tx.query<PendingAudit & { last_hash: string | null; last_position: string | null }>(
      `WITH done AS (DELETE FROM audit_pending RETURNING audit_id),
            last AS (SELECT position, hash FROM audit_chain ORDER BY position DESC LIMIT 1)
       SELECT a.id, a.at, a.actor_id, a.action, a.entity, a.entity_id, a.details,
              (SELECT hash FROM last) AS last_hash, (SELECT position FROM last) AS last_position
       FROM audit_log a JOIN done ON done.audit_id = a.id ORDER BY a.id`,
    );
    const first = pending[0];
    if (first) {
      let prev = first.last_hash ?? GENESIS_HASH;
      let position = first.last_position ? BigInt(first.last_position) : 0n;
      const sealed = pending.map((row) => {
        const hash = chainHashOfRow(prev, row);
        position += 1n;
        const out = { position: position.toString(), audit_id: row.id, prev_hash: prev, hash };
        prev = hash;
        return out;
      });
      await tx.query(
        `INSERT INTO audit_chain (position, audit_id, prev_hash, hash)
         SELECT r.position::int8, r.audit_id::int8, r.prev_hash, r.hash
         FROM jsonb_to_recordset($1::jsonb) AS r(position text, audit_id text, prev_hash text, hash text)`,
        [JSON.stringify(sealed)],
      );
    }
    const last = feed[0]?.last;
    return {
      feedRows: Number(feed[0]?.rows ?? 0),
      auditRows: pending.length,
      lastSeq: last ? seqToNumber(last) : null,
    };
  });
}

/**
 * Runs passes for this process: `kick()` after a commit that wrote feed or audit rows resolves
 * once a pass that started after the call has finished (so the caller's rows are in the feed).
 * Kicks that arrive while a pass runs share the one next pass: under load, one pass per round
 * trip time covers any number of commits. A timer pass catches rows whose writer died between
 * COMMIT and its kick (SIGKILL), and so does the first pass at start-up.
 */
export class FeedSequencer {
  private current: Promise<unknown> = Promise.resolve();
  private queued: Promise<PassResult> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Database) {}

  kick(): Promise<PassResult> {
    if (this.queued) return this.queued;
    const run = this.current
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return sequencePass(this.db);
      });
    this.queued = run;
    this.current = run;
    return run;
  }

  /** Background passes every `intervalMs`; errors (database restarting) wait for the next tick. */
  startTimer(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => void this.kick().catch(onError), intervalMs);
    this.timer.unref();
  }

  /**
   * A pass within `delayMs`, shared by every caller until it starts: get-next uses this, so under
   * load one pass serves every allocation of the last few milliseconds instead of one each.
   */
  soon(delayMs: number, onError: (error: unknown) => void): void {
    if (this.soonTimer) return;
    // Outside the asking request's timing: the pass runs after that request has answered, and
    // its statements (and its wait for the feed lock) are not the request's.
    this.soonTimer = callTiming.exit(() =>
      setTimeout(() => {
        this.soonTimer = undefined;
        void this.kick().catch(onError);
      }, delayMs),
    );
  }

  async stop(): Promise<void> {
    clearTimeout(this.soonTimer);
    clearInterval(this.timer);
    await this.current.catch(() => undefined);
  }
}
