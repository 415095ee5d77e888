import type { LoginThrottlePolicy } from '../../config';
import { appendAudit } from '../../audit/log';
import type { Database } from '../../db/types';

export type ThrottleScope = 'account' | 'address';

/** One counter as stored in login_throttle. */
export interface ThrottleState {
  windowStart: Date;
  failures: number;
  lockouts: number;
  lockedUntil: Date | null;
}

export interface ThrottleStep {
  state: ThrottleState;
  /** Set when this attempt is refused: the caller may try again at this time. */
  refusedUntil: Date | null;
  /** This attempt went over the limit and started a lockout (audited). */
  lockedNow: boolean;
}

/** A lockout this long past is forgotten, so one bad morning does not double next week's. */
const LOCKOUT_MEMORY_MS = 24 * 3600 * 1000;

/**
 * Counts one attempt against one counter, before its password is checked: concurrent attempts
 * cannot all slip in under the limit while the slow hash runs, and a refused attempt costs no hash.
 * A counter that is locked refuses without counting. Over the limit, the counter locks for
 * lockoutSeconds, doubled for every earlier lockout still remembered, up to maxLockoutSeconds.
 */
export function chargeAttempt(
  previous: ThrottleState | null,
  limit: number,
  policy: LoginThrottlePolicy,
  now: Date,
): ThrottleStep {
  const at = now.getTime();
  if (previous?.lockedUntil && previous.lockedUntil.getTime() > at) {
    return { state: previous, refusedUntil: previous.lockedUntil, lockedNow: false };
  }
  const fresh = !previous || previous.windowStart.getTime() <= at - policy.windowSeconds * 1000;
  const remembered =
    previous?.lockedUntil !== null &&
    previous?.lockedUntil !== undefined &&
    at - previous.lockedUntil.getTime() < LOCKOUT_MEMORY_MS;
  const lockouts = remembered ? (previous?.lockouts ?? 0) : 0;
  const failures = (fresh ? 0 : (previous?.failures ?? 0)) + 1;
  if (failures <= limit) {
    return {
      state: {
        windowStart: fresh ? now : (previous?.windowStart ?? now),
        failures,
        lockouts,
        lockedUntil: previous?.lockedUntil ?? null,
      },
      refusedUntil: null,
      lockedNow: false,
    };
  }
  const seconds = Math.min(policy.lockoutSeconds * 2 ** lockouts, policy.maxLockoutSeconds);
  const lockedUntil = new Date(at + seconds * 1000);
  return {
    state: { windowStart: now, failures: 0, lockouts: lockouts + 1, lockedUntil },
    refusedUntil: lockedUntil,
    lockedNow: true,
  };
}

interface RawRow {
  scope: ThrottleScope;
  window_start: Date;
  failures: number;
  lockouts: number;
  locked_until: Date | null;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAt: Date };

/**
 * Sign-in throttling per account (the username as typed, existing or not, so a refusal never
 * tells whether an account exists) and per client address, in the database so that every API
 * process sharing it counts the same attempts. Rows are locked in one order (account, then
 * address) so concurrent attempts queue instead of deadlocking.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly policy: LoginThrottlePolicy,
    private readonly now: () => Date,
  ) {}

  /** Counts an attempt before its password is checked; refused attempts must not be checked at all. */
  async charge(account: string, address: string): Promise<AttemptVerdict> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO login_throttle (scope, key, window_start, failures)
         VALUES ('account', $1, $3, 0), ('address', $2, $3, 0) ON CONFLICT (scope, key) DO NOTHING`,
        [account, address, now.toISOString()],
      );
      const rows = await tx.query<RawRow>(
        `SELECT scope, window_start, failures, lockouts, locked_until FROM login_throttle
          WHERE (scope = 'account' AND key = $1) OR (scope = 'address' AND key = $2)
          ORDER BY scope FOR UPDATE`,
        [account, address],
      );
      const steps = rows.map((r) => {
        const previous: ThrottleState = {
          windowStart: r.window_start,
          failures: r.failures,
          lockouts: r.lockouts,
          lockedUntil: r.locked_until,
        };
        const limit = r.scope === 'account' ? this.policy.accountLimit : this.policy.addressLimit;
        return { scope: r.scope, key: r.scope === 'account' ? account : address, previous, limit };
      });
      // An attempt refused by a lockout already running is not counted anywhere.
      const running = steps
        .map((s) => s.previous.lockedUntil)
        .filter((d): d is Date => d !== null && d.getTime() > now.getTime());
      if (running.length > 0) return { allowed: false, retryAt: latest(running) };

      const refusals: Date[] = [];
      for (const s of steps) {
        const step = chargeAttempt(s.previous, s.limit, this.policy, now);
        await tx.query(
          `UPDATE login_throttle SET window_start = $3, failures = $4, lockouts = $5, locked_until = $6
            WHERE scope = $1 AND key = $2`,
          [
            s.scope,
            s.key,
            step.state.windowStart.toISOString(),
            step.state.failures,
            step.state.lockouts,
            step.state.lockedUntil?.toISOString() ?? null,
          ],
        );
        if (step.refusedUntil) refusals.push(step.refusedUntil);
        if (step.lockedNow && step.state.lockedUntil) {
          await appendAudit(
            tx,
            [
              {
                actorId: null,
                action: 'auth.lockout',
                entity: s.scope === 'account' ? 'login_account' : 'login_address',
                entityId: s.key,
                details: {
                  failures: s.limit,
                  windowSeconds: this.policy.windowSeconds,
                  lockout: step.state.lockouts,
                  until: step.state.lockedUntil.toISOString(),
                },
              },
            ],
            now,
          );
        }
      }
      return refusals.length > 0 ? { allowed: false, retryAt: latest(refusals) } : { allowed: true };
    });
  }

  /**
   * The password was right: the account's count and lockout history start over. The address only
   * gets this attempt back, so signing in to one's own account between guesses at others never
   * resets what the address has spent.
   */
  async succeeded(account: string, address: string): Promise<void> {
    await this.db.query(`DELETE FROM login_throttle WHERE scope = 'account' AND key = $1`, [account]);
    await this.db.query(
      `UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE scope = 'address' AND key = $1`,
      [address],
    );
  }

  /** Forgets counters idle for a day (a guesser rotating usernames leaves one row per name). */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - LOCKOUT_MEMORY_MS);
    const rows = await this.db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM login_throttle
          WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $1) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [cutoff.toISOString()],
    );
    return rows[0]?.n ?? 0;
  }
}

function latest(dates: readonly Date[]): Date {
  return new Date(Math.max(...dates.map((d) => d.getTime())));
}
