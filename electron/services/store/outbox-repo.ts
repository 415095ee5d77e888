import type { SqliteDatabase } from './database';

export type OutboxState = 'pending' | 'sending' | 'applied' | 'rejected' | 'failed';

export interface OutboxEntry {
  seq: number;
  mutationId: string;
  userId: string;
  kind: string;
  payload: unknown;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
}

export interface OutboxCounts {
  pending: number;
  failed: number;
  rejected: number;
}

/**
 * Local mutations waiting for the server. Enqueue inside the same transaction as the local
 * change it records, so the change and its outbox row commit (or vanish) together. An entry
 * leaves `pending`/`sending` only on a server answer: applied or rejected.
 */
export interface OutboxRepo {
  enqueue(entry: { mutationId: string; userId: string; kind: string; payload: unknown; now: number }): number;
  /** The oldest entries due for a push, in seq order (the order the operator made them). */
  due(userId: string, now: number, limit: number): OutboxEntry[];
  markSending(seqs: readonly number[], now: number): void;
  markApplied(seq: number, now: number): void;
  markRejected(seq: number, reason: string, now: number): void;
  /** A failed attempt: back to pending with a later due time, or `failed` once retries run out. */
  markRetry(seq: number, error: string, nextAttemptAt: number | null, now: number): void;
  /** After a restart nothing is in flight: a `sending` entry was never acknowledged. */
  resetInFlight(now: number): void;
  counts(userId: string | null): OutboxCounts;
}

interface OutboxRow {
  seq: number;
  mutation_id: string;
  user_id: string;
  kind: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
}

export function createOutboxRepo(db: SqliteDatabase): OutboxRepo {
  const insert = db.prepare<[string, string, string, string, number, number]>(
    `INSERT INTO outbox (mutation_id, user_id, kind, payload, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
  );
  const selectDue = db.prepare<[string, number, number], OutboxRow>(
    `SELECT * FROM outbox WHERE state = 'pending' AND user_id = ?
       AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?`,
  );
  const setSending = db.prepare<[number, number]>(
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE seq = ?`,
  );
  const setApplied = db.prepare<[number, number]>(
    `UPDATE outbox SET state = 'applied', last_error = NULL, updated_at = ? WHERE seq = ?`,
  );
  const setRejected = db.prepare<[string, number, number]>(
    `UPDATE outbox SET state = 'rejected', last_error = ?, updated_at = ? WHERE seq = ?`,
  );
  const setRetry = db.prepare<[{ error: string; next: number | null; now: number; seq: number }]>(
    `UPDATE outbox SET state = CASE WHEN @next IS NULL THEN 'failed' ELSE 'pending' END,
       last_error = @error, next_attempt_at = @next, updated_at = @now WHERE seq = @seq`,
  );
  const resetSending = db.prepare<[number]>(
    `UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'sending'`,
  );
  const countStates = db.prepare<[{ user: string | null }], { state: OutboxState; n: number }>(
    `SELECT state, COUNT(*) AS n FROM outbox WHERE (@user IS NULL OR user_id = @user) GROUP BY state`,
  );
  const markSendingTx = db.transaction((seqs: readonly number[], now: number) => {
    for (const seq of seqs) setSending.run(now, seq);
  });

  return {
    enqueue({ mutationId, userId, kind, payload, now }) {
      return Number(insert.run(mutationId, userId, kind, JSON.stringify(payload), now, now).lastInsertRowid);
    },
    due(userId, now, limit) {
      return selectDue.all(userId, now, limit).map((r) => ({
        seq: r.seq,
        mutationId: r.mutation_id,
        userId: r.user_id,
        kind: r.kind,
        payload: JSON.parse(r.payload) as unknown,
        state: r.state,
        attempts: r.attempts,
        lastError: r.last_error,
        nextAttemptAt: r.next_attempt_at,
      }));
    },
    markSending(seqs, now) {
      markSendingTx(seqs, now);
    },
    markApplied(seq, now) {
      setApplied.run(now, seq);
    },
    markRejected(seq, reason, now) {
      setRejected.run(reason, now, seq);
    },
    markRetry(seq, error, nextAttemptAt, now) {
      setRetry.run({ error, next: nextAttemptAt, now, seq });
    },
    resetInFlight(now) {
      resetSending.run(now);
    },
    counts(userId) {
      const counts: OutboxCounts = { pending: 0, failed: 0, rejected: 0 };
      for (const { state, n } of countStates.all({ user: userId })) {
        if (state === 'pending' || state === 'sending') counts.pending += n;
        else if (state === 'failed') counts.failed += n;
        else if (state === 'rejected') counts.rejected += n;
      }
      return counts;
    },
  };
}
