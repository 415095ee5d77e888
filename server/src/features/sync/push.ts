import type { PushEnvelope, PushResponse } from '@shared/sync/mutations';
import { exceptionStatusSchema } from '@shared/exception-status';
import type { AuthUser } from '../../auth/auth-user';
import { LOCK_PUSH_CLIENT, LOCK_PUSH_USER } from '../../db/locks';
import type { Database, Queryable } from '../../db/types';
import { findLeases } from '../work/leases-repo';
import type { SopRegistry } from '../sops/registry';
import { attachmentProblems } from '../evidence/attachment-check';
import { lockedPeriodProblems } from '../close/locked-periods';
import {
  decidePush,
  type Decided,
  type ExceptionState,
  type FirstOutcome,
  type PushDecision,
} from './push-decide';
import {
  scopedClientKey,
  screenPush,
  type FreshMutation,
  type KnownMutation,
  type Refusal,
} from './push-screen';
import { sopVerdicts } from './push-sop';
import { recordRefusals, writeDecision } from './push-write';

/**
 * Applies a pushed batch in one transaction: every mutation's outcome (sync_mutations), its
 * effects (exceptions, resolutions, notes, superseded submissions, ended leases), one feed row
 * per changed exception and one audit row per mutation. A crash anywhere before COMMIT rolls all
 * of it back, and the client's retry finds nothing recorded and applies the batch once; a crash
 * after COMMIT leaves the outcomes recorded, and the retry is answered `duplicate` with them.
 *
 * Each mutation is screened on its own first (push-screen.ts): one the server cannot take is
 * answered `rejected` with its reason while the rest apply. The new ones then apply set-based,
 * a fixed number of statements per batch (about a dozen), under a savepoint; should that fail
 * all the same, they are applied again one at a time, each under its own savepoint, and only a
 * mutation whose own writes fail is rejected, so no single mutation can wedge a desk's outbox.
 *
 * The server's receive time is recorded beside each `occurredAt` and is the time controls use:
 * approval order, SOP date rules, the audit row's time.
 */
export async function applyPush(
  db: Database,
  sops: SopRegistry,
  user: AuthUser,
  request: PushEnvelope,
  options: PushOptions = {},
): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_PUSH_CLIENT, request.clientId]);
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_PUSH_USER, user.id]);
    // After the locks: a push that waited behind another is judged by the clock it is applied on.
    const receivedAt = options.now?.() ?? new Date();
    const known = await tx.query<KnownMutation>(
      `SELECT mutation_id, user_id, client_id, content_hash, outcome, reason FROM sync_mutations
       WHERE mutation_id = ANY($1::text[]) AND (user_id = $2 OR client_id = $3)`,
      [request.mutations.map((m) => m.mutationId), user.id, request.clientId],
    );
    const [last] = await tx.query<{ seq: string | null }>(
      `SELECT max(client_seq)::text AS seq FROM sync_mutations WHERE user_id = $1 AND client_id = $2`,
      [user.id, request.clientId],
    );
    const screen = screenPush(user.id, request, known, Number(last?.seq ?? 0), receivedAt);

    const firstOutcomes = new Map<string, { outcome: FirstOutcome; reason: string | null }>();
    const refused = [...screen.refused];
    const groups: [string, FreshMutation[]][] = [
      [request.clientId, screen.fresh],
      [scopedClientKey(request.clientId, user.id), screen.freshScoped],
    ];
    for (const [clientKey, fresh] of groups) {
      if (fresh.length === 0) continue;
      const applied = await applyFresh(tx, sops, user, clientKey, fresh, receivedAt, options);
      for (const d of applied.decided) {
        firstOutcomes.set(d.mutation.mutationId, { outcome: d.outcome, reason: d.reason });
      }
      refused.push(...applied.failed);
    }
    await recordRefusals(tx, user, request.clientId, refused, receivedAt);
    for (const r of refused) firstOutcomes.set(r.mutationId, { outcome: 'rejected', reason: r.reason });
    return { results: screen.answer(firstOutcomes) };
  });
}

export interface PushOptions {
  /** The server clock (tests move it). */
  now?: () => Date;
  /** A mutation whose own writes failed and was rejected for it: for the log, not the client. */
  onIsolatedFailure?: (error: unknown, mutationId: string) => void;
}

const UNSTORABLE =
  'the server could not store this change, so it was not applied; tell your lead if it keeps happening';

async function applyFresh(
  tx: Queryable,
  sops: SopRegistry,
  user: AuthUser,
  clientKey: string,
  fresh: readonly FreshMutation[],
  receivedAt: Date,
  options: PushOptions,
): Promise<{ decided: Decided[]; failed: Refusal[] }> {
  await tx.query('SAVEPOINT push_batch');
  try {
    const decision = await decideAndWrite(tx, sops, user, clientKey, fresh, receivedAt);
    await tx.query('RELEASE SAVEPOINT push_batch');
    return { decided: decision.decided, failed: [] };
  } catch {
    await tx.query('ROLLBACK TO SAVEPOINT push_batch');
  }
  const decided: Decided[] = [];
  const failed: Refusal[] = [];
  for (const one of fresh) {
    await tx.query('SAVEPOINT push_one');
    try {
      decided.push(...(await decideAndWrite(tx, sops, user, clientKey, [one], receivedAt)).decided);
      await tx.query('RELEASE SAVEPOINT push_one');
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT push_one');
      options.onIsolatedFailure?.(error, one.mutation.mutationId);
      const m = one.mutation;
      failed.push({
        mutationId: m.mutationId,
        seq: m.seq,
        kind: m.body.kind,
        exceptionId: m.body.exceptionId,
        body: null,
        occurredAt: m.occurredAt,
        reason: UNSTORABLE,
        hash: one.hash,
      });
    }
  }
  await tx.query('RELEASE SAVEPOINT push_batch');
  return { decided, failed };
}

async function decideAndWrite(
  tx: Queryable,
  sops: SopRegistry,
  user: AuthUser,
  clientKey: string,
  fresh: readonly FreshMutation[],
  receivedAt: Date,
): Promise<PushDecision> {
  const mutations = fresh.map((f) => f.mutation);
  const rows = await lockRows(tx, [...new Set(mutations.map((m) => m.body.exceptionId))]);
  const leaseIds = mutations.flatMap((m) => ('leaseId' in m.body ? [m.body.leaseId] : []));
  const leases = await findLeases(tx, leaseIds);
  const verdicts = await sopVerdicts(tx, sops, mutations, receivedAt);
  // A result for an item of a locked month-end period is refused like one the SOP refuses.
  const extra = [await attachmentProblems(tx, user.id, mutations), await lockedPeriodProblems(tx, mutations)];
  for (const [mutationId, problems] of extra.flatMap((m) => [...m])) {
    const verdict = verdicts.get(mutationId);
    if (verdict) verdicts.set(mutationId, { ...verdict, problems: [...verdict.problems, ...problems] });
  }
  const decision = decidePush(user, mutations, rows, leases, clientKey, verdicts);
  const receivedIso = receivedAt.toISOString();
  decision.audit = decision.audit.map((e) => ({
    ...e,
    details: { ...(e.details as Record<string, unknown>), receivedAt: receivedIso },
  }));
  const hashes = new Map(fresh.map((f) => [f.mutation.mutationId, f.hash]));
  await writeDecision(tx, user, clientKey, decision, hashes, receivedAt);
  return decision;
}

/** Locks the batch's exceptions in id order (concurrent pushes lock in one order: no deadlock). */
async function lockRows(tx: Queryable, ids: readonly string[]): Promise<Map<string, ExceptionState>> {
  const rows = await tx.query<{
    id: string;
    status: string;
    assignee_id: string | null;
    lease_id: string | null;
  }>(
    `SELECT id, status, assignee_id, lease_id FROM exceptions WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [[...ids]],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        status: exceptionStatusSchema.parse(r.status),
        assigneeId: r.assignee_id,
        leaseId: r.lease_id,
      },
    ]),
  );
}
