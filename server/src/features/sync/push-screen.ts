import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { exceptionRecordSchema } from '@shared/exception';
import { occurredAtProblem } from '@shared/sync/client-clock';
import {
  mutationSchema,
  type Mutation,
  type MutationResult,
  type PushEnvelope,
} from '@shared/sync/mutations';
import type { FirstOutcome } from './push-decide';

/** A mutation already recorded under this user's id, or under this client id by another user. */
export interface KnownMutation {
  mutation_id: string;
  user_id: string;
  client_id: string;
  content_hash: string | null;
  outcome: FirstOutcome;
  reason: string | null;
}

/** A mutation answered `rejected` before it could apply, and recorded so a replay says the same. */
export interface Refusal {
  mutationId: string;
  seq: number;
  /** The mutation's kind and exception when it parsed; the raw text never reaches the database. */
  kind: string;
  exceptionId: string | null;
  body: Mutation['body'] | null;
  occurredAt: string | null;
  reason: string;
  hash: string;
}

export interface FreshMutation {
  mutation: Mutation;
  hash: string;
}

export interface PushScreen {
  /** New valid mutations in seq order, stored under the client id as sent. */
  fresh: FreshMutation[];
  /**
   * New valid mutations whose id another user already recorded under this client id: stored
   * under a client key scoped to this user (the table's key is (client_id, mutation_id)).
   */
  freshScoped: FreshMutation[];
  refused: Refusal[];
  /** The response in request order, once the first outcome of every new mutation is known. */
  answer(
    firstOutcomes: ReadonlyMap<string, { outcome: FirstOutcome; reason: string | null }>,
  ): MutationResult[];
}

const REUSED =
  'this change id was already used for a different change, so this one was not applied; it cannot be sent again under that id';
const OUT_OF_ORDER =
  'this change arrived after a later change from this desk had been applied, so it was not applied (changes apply in the order they were made)';

/** The key under which a user's mutation is stored when its id is taken on this client by someone else. */
export function scopedClientKey(clientId: string, userId: string): string {
  return `${clientId}/${userId}`;
}

/**
 * Sorts a pushed batch into duplicates, refusals and new mutations, without touching the
 * database: each mutation is checked on its own (schema, clock bounds, seq order, id re-use), so
 * one the server cannot take is answered `rejected` and the rest still apply.
 *
 * Idempotency is keyed by (signed-in user, mutation id) whatever the client id; an id re-used
 * with different content (by its sha-256 over the mutation as sent) is refused, not called a
 * duplicate (the seq is not content: a desk renumbers a change it retries after a refused request).
 * `maxSeq` is the highest seq already recorded from this (user, client): a new
 * mutation at or below it came out of order and is refused (a retried batch is all duplicates).
 */
export function screenPush(
  userId: string,
  request: PushEnvelope,
  known: readonly KnownMutation[],
  maxSeq: number,
  receivedAt: Date,
): PushScreen {
  const mine = new Map<string, KnownMutation>();
  const takenHere = new Set<string>();
  for (const k of known) {
    if (k.user_id === userId) mine.set(k.mutation_id, k);
    else if (k.client_id === request.clientId) takenHere.add(k.mutation_id);
  }

  const fresh: FreshMutation[] = [];
  const freshScoped: FreshMutation[] = [];
  const refused: Refusal[] = [];
  type Plan =
    | { kind: 'first'; id: string }
    | { kind: 'replay'; id: string }
    | { kind: 'answer'; result: MutationResult };
  const plans: Plan[] = new Array<Plan>(request.mutations.length);
  const inBatch = new Map<string, string>();
  let highest = maxSeq;

  const order = request.mutations.map((_, i) => i).sort((a, b) => seqAt(request, a) - seqAt(request, b));
  for (const i of order) {
    const raw = request.mutations[i] as PushEnvelope['mutations'][number];
    const id = raw.mutationId;
    // Not the seq: a desk may send a change it could not deliver again later, renumbered.
    const { seq: _seq, ...content } = raw;
    const hash = contentHash(content);
    const reused = (): void => {
      plans[i] = { kind: 'answer', result: { mutationId: id, outcome: 'rejected', reason: REUSED } };
    };
    const seenHash = inBatch.get(id);
    if (seenHash !== undefined) {
      if (seenHash === hash) plans[i] = { kind: 'replay', id };
      else reused();
      continue;
    }
    const before = mine.get(id);
    if (before) {
      // Rows from before content hashes were kept cannot be compared: they stay duplicates.
      if (before.content_hash !== null && before.content_hash !== hash) reused();
      else plans[i] = { kind: 'replay', id };
      continue;
    }
    inBatch.set(id, hash);
    plans[i] = { kind: 'first', id };

    const parsed = mutationSchema.safeParse(raw);
    if (!parsed.success) {
      refused.push({
        mutationId: id,
        seq: raw.seq,
        kind: 'invalid',
        exceptionId: null,
        body: null,
        occurredAt: null,
        reason: `the server cannot accept this change: ${describeIssues(parsed.error)}`,
        hash,
      });
      continue;
    }
    const m = parsed.data;
    const refuse = (reason: string, occurredAt: string | null): void => {
      refused.push({
        mutationId: id,
        seq: m.seq,
        kind: m.body.kind,
        exceptionId: m.body.exceptionId,
        body: m.body,
        occurredAt,
        reason,
        hash,
      });
    };
    const clock = occurredAtProblem(m.occurredAt, receivedAt);
    if (clock) {
      refuse(`the server cannot accept this change: ${clock}`, null);
      continue;
    }
    if (m.seq <= highest) {
      refuse(OUT_OF_ORDER, m.occurredAt);
      continue;
    }
    highest = m.seq;
    (takenHere.has(id) ? freshScoped : fresh).push({ mutation: m, hash });
  }

  return {
    fresh,
    freshScoped,
    refused,
    answer(firstOutcomes) {
      const first = (id: string): { outcome: FirstOutcome; reason: string | null } => {
        const got = firstOutcomes.get(id) ?? mine.get(id);
        if (!got) throw new Error(`mutation ${id} was neither recorded nor decided`);
        return { outcome: got.outcome, reason: got.reason };
      };
      return plans.map((plan): MutationResult => {
        if (plan.kind === 'answer') return plan.result;
        const { outcome, reason } = first(plan.id);
        if (plan.kind === 'first') return { mutationId: plan.id, outcome, reason };
        return { mutationId: plan.id, outcome: 'duplicate', reason, originalOutcome: outcome };
      });
    },
  };
}

function seqAt(request: PushEnvelope, i: number): number {
  return (request.mutations[i] as PushEnvelope['mutations'][number]).seq;
}

/** Where and what, never the value sent (it may be hostile, huge or unprintable). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || 'mutation'}: ${issue.message}`)
    .join('; ');
}

/** sha-256 over a mutation as sent, keys sorted, so a replay of the same outbox entry matches. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An exception id fit for the audit trail's entity id, when the refused mutation carried one. */
export function auditableExceptionId(r: Refusal): string | null {
  return r.exceptionId !== null && exceptionRecordSchema.shape.id.safeParse(r.exceptionId).success
    ? r.exceptionId
    : null;
}
