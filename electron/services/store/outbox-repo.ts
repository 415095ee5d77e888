import { z } from 'zod';
import { mutationBodySchema, type MutationBody, type MutationKind } from '@shared/sync/mutations';
import type { SqliteDatabase } from './database';

export type OutboxState = 'pending' | 'sending' | 'applied' | 'rejected' | 'failed';

/** What an outbox row's payload holds: the change and when the operator made it. */
const storedPayloadSchema = z.object({
  occurredAt: z.iso.datetime({ offset: true }),
  body: mutationBodySchema,
});

/**
 * The same row read by its shape only. This app wrote it, but an older version may have let in
 * what today's rules refuse (a NUL byte in a note): refusing to read it would stall the outbox
 * on that row for good. It is sent as it is; the server judges it and answers `rejected` with
 * its reason, on its own, and the rest of the outbox goes on.
 */
const MUTATION_KINDS = mutationBodySchema.options.map((o) => o.shape.kind.value);
const legacyPayloadSchema = z.object({
  occurredAt: z.string(),
  body: z.looseObject({ kind: z.enum(MUTATION_KINDS), exceptionId: z.string() }),
});

function readPayload(text: string): { occurredAt: string; body: MutationBody } {
  const raw: unknown = JSON.parse(text);
  const strict = storedPayloadSchema.safeParse(raw);
  if (strict.success) return strict.data;
  const legacy = legacyPayloadSchema.parse(raw);
  return { occurredAt: legacy.occurredAt, body: legacy.body as unknown as MutationBody };
}

export interface OutboxEntry {
  /** Also the mutation's `seq` on the wire: AUTOINCREMENT never reuses one, so it only grows per install. */
  seq: number;
  mutationId: string;
  userId: string;
  kind: MutationKind;
  exceptionId: string | null;
  occurredAt: string;
  body: MutationBody;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface OutboxCounts {
  /** Waiting for the server: pending or in flight. */
  pending: number;
  /** The request carrying it was refused as a whole (retryable by the user). */
  failed: number;
  /** The server decided against this change (kept, with its reason). */
  rejected: number;
}

/**
 * Local mutations waiting for the server. Enqueue inside the same transaction as the local
 * change it records, so the change and its outbox row commit (or vanish) together. An entry
 * leaves `pending`/`sending` only on a server answer about it: removed once acknowledged
 * (applied, or a duplicate of an applied one), `rejected` with the server's reason, or moved to
 * the conflicts table (superseded) by the caller in the same transaction.
 */
export interface OutboxRepo {
  enqueue(entry: {
    mutationId: string;
    userId: string;
    occurredAt: string;
    body: MutationBody;
    now: number;
  }): number;
  /** The oldest pending entries of one user, in seq order (the order the operator made them). */
  due(userId: string, limit: number): OutboxEntry[];
  hasDue(userId: string): boolean;
  /** Marks entries in flight before their request leaves; attempts counts requests. */
  markSending(seqs: readonly number[], now: number): void;
  /** The server acknowledged these: they are done. */
  remove(seqs: readonly number[]): void;
  markRejected(seq: number, reason: string, now: number): void;
  /** The request was refused as a whole (not about one change): kept, retryable by the user. */
  markFailed(seqs: readonly number[], reason: string, now: number): void;
  /** No answer (offline, timeout, server error): back in line, unchanged, to be sent again. */
  backToPending(seqs: readonly number[], error: string, now: number): void;
  /** Entries marked for a request that never left: back in line as they were. */
  unmarkSending(seqs: readonly number[], now: number): void;
  /** After a restart nothing is in flight: a `sending` entry was never acknowledged. */
  resetInFlight(now: number): void;
  /** Puts one user's failed entries back in line; answers how many. */
  retryFailed(userId: string, now: number): number;
  counts(userId: string | null): OutboxCounts;
  /** Entries not yet acknowledged (pending, sending, failed, rejected), in seq order. */
  list(userId: string, offset: number, limit: number): { items: OutboxEntry[]; total: number };
  /** Unacknowledged (pending or sending) entries about these exceptions, in seq order. */
  unacknowledgedFor(exceptionIds: readonly string[]): OutboxEntry[];
  hasUnacknowledged(): boolean;
  get(seq: number): OutboxEntry | null;
}

interface OutboxRow {
  seq: number;
  mutation_id: string;
  user_id: string;
  kind: string;
  exception_id: string | null;
  payload: string;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'seq, mutation_id, user_id, kind, exception_id, payload, state, attempts, last_error, created_at, updated_at';

function toEntry(r: OutboxRow): OutboxEntry {
  const payload = readPayload(r.payload);
  return {
    seq: r.seq,
    mutationId: r.mutation_id,
    userId: r.user_id,
    kind: payload.body.kind,
    exceptionId: r.exception_id,
    occurredAt: payload.occurredAt,
    body: payload.body,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function createOutboxRepo(db: SqliteDatabase): OutboxRepo {
  const insert = db.prepare<[string, string, string, string | null, string, number, number]>(
    `INSERT INTO outbox (mutation_id, user_id, kind, exception_id, payload, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
  );
  const selectDue = db.prepare<[string, number], OutboxRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE user_id = ? AND state = 'pending' ORDER BY seq LIMIT ?`,
  );
  const anyDue = db
    .prepare<[string]>(`SELECT EXISTS (SELECT 1 FROM outbox WHERE user_id = ? AND state = 'pending')`)
    .pluck();
  const setSending = db.prepare<[number, number]>(
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE seq = ?`,
  );
  const deleteOne = db.prepare<[number]>(`DELETE FROM outbox WHERE seq = ?`);
  const setRejected = db.prepare<[string, number, number]>(
    `UPDATE outbox SET state = 'rejected', last_error = ?, updated_at = ? WHERE seq = ?`,
  );
  const setFailed = db.prepare<[string, number, number]>(
    `UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE seq = ? AND state IN ('pending', 'sending')`,
  );
  const setPending = db.prepare<[string, number, number]>(
    `UPDATE outbox SET state = 'pending', last_error = ?, updated_at = ? WHERE seq = ? AND state = 'sending'`,
  );
  const unmark = db.prepare<[number, number]>(
    `UPDATE outbox SET state = 'pending', attempts = max(attempts - 1, 0), updated_at = ? WHERE seq = ? AND state = 'sending'`,
  );
  const resetSending = db.prepare<[number]>(
    `UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'sending'`,
  );
  const selectFailed = db.prepare<[string], OutboxRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE user_id = ? AND state = 'failed' ORDER BY seq`,
  );
  const reinsertPending = db.prepare<[string, string, string, string | null, string, number, number, number]>(
    `INSERT INTO outbox (mutation_id, user_id, kind, exception_id, payload, state, attempts, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
  );
  // The server refuses a change carrying a lower seq than one it already applied from this desk
  // (changes apply in the order they were made). Failed entries were never recorded there, and
  // later ones may have been applied since: they go back in line at its end, with new seqs.
  const retryFailedTx = db.transaction((userId: string, now: number): number => {
    const rows = selectFailed.all(userId);
    for (const r of rows) {
      deleteOne.run(r.seq);
      reinsertPending.run(
        r.mutation_id,
        r.user_id,
        r.kind,
        r.exception_id,
        r.payload,
        r.attempts,
        r.created_at,
        now,
      );
    }
    return rows.length;
  });
  const countStates = db.prepare<[{ user: string | null }], { state: OutboxState; n: number }>(
    `SELECT state, COUNT(*) AS n FROM outbox WHERE (@user IS NULL OR user_id = @user) GROUP BY state`,
  );
  const listStmt = db.prepare<[string, number, number], OutboxRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE user_id = ? AND state <> 'applied' ORDER BY seq LIMIT ? OFFSET ?`,
  );
  const listTotal = db
    .prepare<[string]>(`SELECT COUNT(*) FROM outbox WHERE user_id = ? AND state <> 'applied'`)
    .pluck();
  const unackFor = db.prepare<[string], OutboxRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE state IN ('pending', 'sending')
       AND exception_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  );
  const anyUnack = db
    .prepare(`SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ('pending', 'sending'))`)
    .pluck();
  const selectOne = db.prepare<[number], OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE seq = ?`);

  const eachTx = db.transaction((seqs: readonly number[], fn: (seq: number) => void) => {
    for (const seq of seqs) fn(seq);
  });

  return {
    enqueue({ mutationId, userId, occurredAt, body, now }) {
      const payload = JSON.stringify({ occurredAt, body });
      return Number(
        insert.run(mutationId, userId, body.kind, body.exceptionId, payload, now, now).lastInsertRowid,
      );
    },
    due(userId, limit) {
      return selectDue.all(userId, limit).map(toEntry);
    },
    hasDue: (userId) => anyDue.get(userId) === 1,
    markSending(seqs, now) {
      eachTx(seqs, (seq) => setSending.run(now, seq));
    },
    remove(seqs) {
      eachTx(seqs, (seq) => deleteOne.run(seq));
    },
    markRejected(seq, reason, now) {
      setRejected.run(reason, now, seq);
    },
    markFailed(seqs, reason, now) {
      eachTx(seqs, (seq) => setFailed.run(reason, now, seq));
    },
    backToPending(seqs, error, now) {
      eachTx(seqs, (seq) => setPending.run(error, now, seq));
    },
    unmarkSending(seqs, now) {
      eachTx(seqs, (seq) => unmark.run(now, seq));
    },
    resetInFlight(now) {
      resetSending.run(now);
    },
    retryFailed(userId, now) {
      return retryFailedTx(userId, now);
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
    list(userId, offset, limit) {
      return {
        items: listStmt.all(userId, limit, offset).map(toEntry),
        total: listTotal.get(userId) as number,
      };
    },
    unacknowledgedFor(exceptionIds) {
      if (exceptionIds.length === 0) return [];
      return unackFor.all(JSON.stringify(exceptionIds)).map(toEntry);
    },
    hasUnacknowledged: () => anyUnack.get() === 1,
    get(seq) {
      const row = selectOne.get(seq);
      return row ? toEntry(row) : null;
    },
  };
}
