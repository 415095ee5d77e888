import {
  MAX_PUSH_BATCH,
  type Mutation,
  type MutationResult,
  type PushResponse,
} from '@shared/sync/mutations';
import { ServerError } from '../session/server-client';
import type { OutboxEntry } from '../store/outbox-repo';
import type { LocalStore } from '../store/local-store';
import type { SyncContext, SyncStep } from './sync-step';

export interface PushStepOptions {
  /** Mutations per request; the protocol allows MAX_PUSH_BATCH. */
  batchSize?: number;
  /** Caps one cycle so a huge backlog cannot hold the engine forever; the next cycle continues. */
  maxBatchesPerCycle?: number;
  /**
   * Runs before each batch leaves (the evidence files its results name are uploaded here);
   * throwing puts the batch back in line untouched.
   */
  beforeSend?: (ctx: SyncContext, entries: readonly OutboxEntry[]) => Promise<void>;
}

/**
 * Outbox rows read, marked or answered per SQLite transaction. The store shares the event loop
 * with the window's bridge calls: a 1,000-row batch read (each payload parsed and checked) or
 * answered in one go held an autosave for tens of milliseconds; between slices the loop is free.
 */
export const PUSH_SLICE_ROWS = 200;

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** HTTP statuses that refuse the request as a whole for good: resending it unchanged cannot help. */
const REFUSED_FOR_GOOD = new Set([400, 403, 404, 413, 422]);

export function toMutation(e: OutboxEntry): Mutation {
  return { mutationId: e.mutationId, seq: e.seq, occurredAt: e.occurredAt, body: e.body };
}

export interface AppliedAnswers {
  acknowledged: number;
  superseded: number;
  rejected: number;
  /** Exceptions whose local copy shows a change the server did not make (superseded or rejected). */
  diverged: string[];
  /** Leases the server says are gone (a superseded result names one). */
  lostLeases: number;
  /** Entries the answer did not mention: back in line. */
  unanswered: number;
}

function noAnswers(): AppliedAnswers {
  return { acknowledged: 0, superseded: 0, rejected: 0, diverged: [], lostLeases: 0, unanswered: 0 };
}

/**
 * Records the server's answers in one SQLite transaction. Only an answer moves an entry:
 * applied (or a duplicate of an applied one) removes it; superseded moves it, whole, to the
 * conflicts table; rejected keeps it with the reason. An entry the answer does not mention stays
 * in line for the next push.
 */
export function applyPushAnswers(
  store: LocalStore,
  entries: readonly OutboxEntry[],
  response: PushResponse,
  now: number,
): AppliedAnswers {
  const byId = new Map<string, MutationResult>();
  for (const r of response.results) byId.set(r.mutationId, r);
  const out = noAnswers();
  store.transaction(() => {
    const remove: number[] = [];
    const unanswered: number[] = [];
    for (const e of entries) {
      const r = byId.get(e.mutationId);
      if (!r) {
        unanswered.push(e.seq);
        continue;
      }
      const outcome = r.outcome === 'duplicate' ? (r.originalOutcome ?? 'applied') : r.outcome;
      if (outcome === 'applied') {
        remove.push(e.seq);
        out.acknowledged += 1;
      } else if (outcome === 'superseded') {
        const reason = r.reason ?? 'the lease was lost before this result arrived';
        store.conflicts.record({
          mutationId: e.mutationId,
          userId: e.userId,
          exceptionId: e.body.exceptionId,
          kind: e.kind,
          reason,
          body: e.body,
          occurredAt: Date.parse(e.occurredAt),
          at: now,
        });
        remove.push(e.seq);
        if ('leaseId' in e.body && store.leases.markLost(e.body.leaseId, reason, now, true))
          out.lostLeases += 1;
        out.superseded += 1;
        out.diverged.push(e.body.exceptionId);
      } else {
        store.outbox.markRejected(e.seq, r.reason ?? 'the server refused this change', now);
        out.rejected += 1;
        out.diverged.push(e.body.exceptionId);
      }
    }
    store.outbox.remove(remove);
    store.outbox.backToPending(unanswered, 'the server did not answer for this change', now);
    out.unanswered = unanswered.length;
  });
  return out;
}

/**
 * applyPushAnswers a slice at a time, the event loop free in between. Each slice commits on its
 * own: after a crash between two, the entries not yet answered are still `sending`, start-up puts
 * them back in line and the server answers their resend `duplicate`, with the first outcome.
 */
async function applyPushAnswersInSlices(
  store: LocalStore,
  entries: readonly OutboxEntry[],
  response: PushResponse,
  now: () => number,
): Promise<AppliedAnswers> {
  const out = noAnswers();
  for (let i = 0; i < entries.length; i += PUSH_SLICE_ROWS) {
    if (i > 0) await yieldToLoop();
    const part = applyPushAnswers(store, entries.slice(i, i + PUSH_SLICE_ROWS), response, now());
    out.acknowledged += part.acknowledged;
    out.superseded += part.superseded;
    out.rejected += part.rejected;
    out.diverged.push(...part.diverged);
    out.lostLeases += part.lostLeases;
    out.unanswered += part.unanswered;
  }
  return out;
}

/**
 * Pushes the signed-in user's outbox in seq order, in batches. Entries are marked `sending`
 * before the request leaves and move only on the server's answer; with no answer (offline,
 * timeout, 5xx) they go back to `pending` unchanged and the engine retries the cycle with
 * backoff. A crash mid-request leaves them `sending`; start-up puts them back (`resetInFlight`)
 * and the server answers the resend `duplicate`, with the first outcome.
 */
export function createPushStep(options: PushStepOptions = {}): SyncStep {
  const batchSize = Math.min(MAX_PUSH_BATCH, options.batchSize ?? MAX_PUSH_BATCH);
  const maxBatches = options.maxBatchesPerCycle ?? 200;
  return {
    name: 'push',
    async run(ctx) {
      const clientId = ctx.store.clientId();
      const now = (): number => ctx.now().getTime();
      const seqsOf = (entries: readonly OutboxEntry[]): number[] => entries.map((e) => e.seq);
      // A batch is read and marked a slice at a time: each slice takes the oldest pending rows,
      // so the batch is still the outbox's next rows in seq order.
      const prepare = async (): Promise<OutboxEntry[]> => {
        const entries: OutboxEntry[] = [];
        try {
          while (entries.length < batchSize) {
            const slice = ctx.store.outbox.due(
              ctx.userId,
              Math.min(PUSH_SLICE_ROWS, batchSize - entries.length),
            );
            if (slice.length > 0) ctx.store.outbox.markSending(seqsOf(slice), now());
            entries.push(...slice);
            if (slice.length < PUSH_SLICE_ROWS) break;
            if (entries.length < batchSize) await yieldToLoop();
          }
        } catch (err) {
          // A later slice failed to read: the batch never leaves, so its first slices go back.
          ctx.store.outbox.unmarkSending(seqsOf(entries), now());
          throw err;
        }
        return entries;
      };

      let entries = ctx.isCurrent() ? await prepare() : [];
      let upcoming: OutboxEntry[] = [];
      try {
        for (let batch = 0; batch < maxBatches && entries.length > 0; batch += 1) {
          await options.beforeSend?.(ctx, entries);
          if (!ctx.isCurrent()) return;
          const request = ctx.client.push({ clientId, mutations: entries.map(toMutation) }, ctx.tokens);
          // Handled below once awaited; it may fail while the next batch is being prepared.
          request.catch(() => undefined);
          // While this request is out, read and mark the next batch: it leaves only after this
          // answer, so the server still sees the outbox in seq order, one batch at a time.
          if (entries.length === batchSize && batch + 1 < maxBatches) {
            await yieldToLoop();
            upcoming = await prepare();
          }
          let response: PushResponse;
          try {
            response = await request;
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            if (
              err instanceof ServerError &&
              err.kind === 'rejected' &&
              REFUSED_FOR_GOOD.has(err.status ?? 0)
            ) {
              ctx.store.outbox.markFailed(seqsOf(entries), message, now());
            } else {
              ctx.store.outbox.backToPending(seqsOf(entries), message, now());
            }
            ctx.outboxChanged();
            throw err;
          }
          // The answer is about these entries whatever happened to the session meanwhile: record it.
          const applied = await applyPushAnswersInSlices(ctx.store, entries, response, now);
          ctx.outboxChanged();
          if (applied.lostLeases > 0) ctx.workChanged('lost');
          if (applied.diverged.length > 0 && ctx.isCurrent()) await reconcile(ctx, applied.diverged);
          if (applied.unanswered > 0 || !ctx.isCurrent()) {
            // Entries left in line come before the prepared batch: send them first (or stop).
            ctx.store.outbox.unmarkSending(seqsOf(upcoming), now());
            upcoming = [];
            if (!ctx.isCurrent()) return;
            entries = await prepare();
          } else {
            entries = upcoming;
            upcoming = [];
          }
        }
      } finally {
        // A prepared batch that never left (an error, the cycle cap) goes back in line untouched.
        if (upcoming.length > 0) ctx.store.outbox.unmarkSending(seqsOf(upcoming), now());
        if (entries.length > 0) ctx.store.outbox.unmarkSending(seqsOf(entries), now());
      }
    },
  };
}

/**
 * The local copy of an exception whose change the server did not take still shows that change:
 * read the server's record again (or drop it when the operator may no longer see it). Best
 * effort: a failure here leaves the copy until the next pull concerning it.
 */
async function reconcile(ctx: SyncContext, exceptionIds: readonly string[]): Promise<void> {
  const pending = new Set(
    ctx.store.outbox.unacknowledgedFor([...new Set(exceptionIds)]).map((e) => e.exceptionId),
  );
  let changed = false;
  for (const id of new Set(exceptionIds)) {
    if (pending.has(id)) continue;
    try {
      const record = await ctx.client.exception(id, ctx.tokens);
      if (!ctx.isCurrent()) return;
      ctx.store.transaction(() => {
        if (record) ctx.store.exceptions.upsert(record);
        else ctx.store.exceptions.remove(id);
      });
      changed = true;
    } catch {
      return;
    }
  }
  if (changed) ctx.queueChanged();
}
