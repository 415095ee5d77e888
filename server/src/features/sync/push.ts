import type { Mutation, PushEnvelope, PushResponse } from '@shared/sync/mutations';
import { settledAmount } from '@shared/resolution-amount';
import { exceptionStatusSchema } from '@shared/exception-status';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { appendToFeed, type FeedEntry } from '../../db/change-feed';
import { LOCK_PUSH_CLIENT, LOCK_PUSH_USER } from '../../db/locks';
import type { Database, Queryable } from '../../db/types';
import { endLeasesWithReasons, findLeases } from '../work/leases-repo';
import { needsApproval, resolutionProblems } from '@shared/sop/engine';
import { exceptionSummaryJsonSql } from '../exceptions/row-mapping';
import type { ExceptionSummary } from '@shared/exception';
import type { SopRegistry } from '../sops/registry';
import { attachmentProblems } from '../evidence/attachment-check';
import { lockedPeriodProblems } from '../close/locked-periods';
import {
  decidePush,
  type Decided,
  type SopVerdict,
  type ExceptionState,
  type FirstOutcome,
  type PushDecision,
} from './push-decide';
import {
  auditableExceptionId,
  scopedClientKey,
  screenPush,
  type FreshMutation,
  type KnownMutation,
  type Refusal,
} from './push-screen';

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

/** Refused mutations are recorded too, so a replay is answered `duplicate` with the same reason. */
async function recordRefusals(
  tx: Queryable,
  user: AuthUser,
  clientId: string,
  refused: readonly Refusal[],
  receivedAt: Date,
): Promise<void> {
  if (refused.length === 0) return;
  const receivedIso = receivedAt.toISOString();
  await tx.query(
    `INSERT INTO sync_mutations (client_id, mutation_id, user_id, client_seq, kind, exception_id, body,
       occurred_at, outcome, reason, received_at, content_hash)
     SELECT $1, r.mutation_id, $2, r.client_seq, r.kind, r.exception_id, r.body, r.occurred_at, 'rejected',
       r.reason, $3::timestamptz, r.content_hash
     FROM jsonb_to_recordset($4::jsonb) AS r(mutation_id text, client_seq bigint, kind text, exception_id text,
       body jsonb, occurred_at timestamptz, reason text, content_hash text)`,
    [
      clientId,
      user.id,
      receivedIso,
      JSON.stringify(
        refused.map((r) => ({
          mutation_id: r.mutationId,
          client_seq: r.seq,
          kind: r.kind,
          exception_id: auditableExceptionId(r),
          body: r.body ?? {},
          // A time outside the accepted window is not kept as if it were one.
          occurred_at: r.occurredAt ?? receivedIso,
          reason: r.reason,
          content_hash: r.hash,
        })),
      ),
    ],
  );
  await appendAudit(
    tx,
    refused.map((r) => {
      const exceptionId = auditableExceptionId(r);
      return {
        actorId: user.id,
        action: 'mutation.rejected',
        entity: exceptionId ? 'exception' : 'sync_client',
        entityId: exceptionId ?? clientId,
        details: {
          clientId,
          mutationId: r.mutationId,
          clientSeq: r.seq,
          kind: r.kind,
          occurredAt: r.occurredAt,
          receivedAt: receivedIso,
          reason: r.reason,
        },
      };
    }),
    receivedAt,
  );
}

function checklistColumns(m: Mutation): Record<string, unknown> {
  if (m.body.kind !== 'exception.resolve') return {};
  const { sop, answers, handle } = m.body.checklist;
  return {
    sop_id: sop.moduleId,
    sop_version: sop.version,
    answers,
    handle_ms: handle.activeMs,
    step_ms: handle.steps,
  };
}

/**
 * Runs the SOP engine over every resolve in the batch, against the exception as the server holds
 * it and exactly the module version the operator followed. Date bounds ("today") are the
 * server's day when it received the result, not the desk's clock; approval thresholds apply to
 * what the resolution really settles (for a write-off, the exception's whole variance).
 */
async function sopVerdicts(
  tx: Queryable,
  sops: SopRegistry,
  mutations: readonly Mutation[],
  receivedAt: Date,
): Promise<Map<string, SopVerdict>> {
  const resolves = mutations.flatMap((m) =>
    m.body.kind === 'exception.resolve' ? [{ m, body: m.body }] : [],
  );
  const verdicts = new Map<string, SopVerdict>();
  if (resolves.length === 0) return verdicts;
  const today = receivedAt.toISOString().slice(0, 10);
  // The summary as the pull sends it, written by PostgreSQL: the server's own rows, validated on
  // their way in, so no second zod pass (it was a tenth of a push's CPU).
  const rows = await tx.query<{ doc: string }>(
    `SELECT ${exceptionSummaryJsonSql('e')} AS doc FROM exceptions e WHERE e.id = ANY($1::text[])`,
    [[...new Set(resolves.map((r) => r.body.exceptionId))]],
  );
  const exceptions = new Map(
    rows.map((r) => {
      const summary = JSON.parse(r.doc) as ExceptionSummary;
      return [summary.id, summary];
    }),
  );
  for (const { m, body } of resolves) {
    const exception = exceptions.get(body.exceptionId);
    const { moduleId, version } = body.checklist.sop;
    const module = await sops.get(moduleId, version, tx);
    if (!exception) {
      verdicts.set(m.mutationId, { problems: [], needsApproval: false });
    } else if (!module) {
      verdicts.set(m.mutationId, {
        problems: [`SOP ${moduleId} ${version} was never published`],
        needsApproval: false,
      });
    } else if (!module.appliesTo.includes(exception.type)) {
      verdicts.set(m.mutationId, {
        problems: [`SOP ${moduleId} does not apply to ${exception.type} exceptions`],
        needsApproval: false,
      });
    } else {
      const input = { module, exception, answers: body.checklist.answers, today };
      const settled = { ...body.resolution, amount: settledAmount(body.resolution, exception.variance) };
      verdicts.set(m.mutationId, {
        problems: resolutionProblems(input, body.resolution),
        needsApproval: needsApproval(module, settled),
      });
    }
  }
  return verdicts;
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

async function writeDecision(
  tx: Queryable,
  user: AuthUser,
  clientId: string,
  d: PushDecision,
  hashes: ReadonlyMap<string, string>,
  receivedAt: Date,
): Promise<void> {
  const receivedIso = receivedAt.toISOString();
  const changed = [...d.changed.values()];
  if (changed.length > 0) {
    await tx.query(
      `UPDATE exceptions e SET status = u.status, assignee_id = u.assignee_id, lease_id = u.lease_id,
         lease_expires_at = CASE WHEN u.lease_id IS NULL THEN NULL ELSE e.lease_expires_at END,
         version = e.version + 1, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS u(id text, status text, assignee_id text, lease_id text)
       WHERE e.id = u.id`,
      [
        JSON.stringify(
          changed.map(({ after }) => ({
            id: after.id,
            status: after.status,
            assignee_id: after.assigneeId,
            lease_id: after.leaseId,
          })),
        ),
      ],
    );
  }
  // A skip keeps its skipper away from the item for the cool-down (get-next reads these).
  const skipped = d.decided
    .filter((x) => x.outcome === 'applied' && x.mutation.body.kind === 'exception.skip')
    .map((x) => x.mutation.body.exceptionId);
  if (skipped.length > 0) {
    await tx.query(
      `UPDATE exceptions SET skipped_by = $1, skipped_at = $2::timestamptz WHERE id = ANY($3::text[])`,
      [user.id, receivedIso, skipped],
    );
  }
  await endLeasesWithReasons(tx, d.endedLeases);

  await tx.query(
    `INSERT INTO sync_mutations (client_id, mutation_id, user_id, client_seq, kind, exception_id, body,
       occurred_at, outcome, reason, received_at, content_hash)
     SELECT $1, r.mutation_id, $2, r.client_seq, r.kind, r.exception_id, r.body, r.occurred_at, r.outcome, r.reason,
       $4::timestamptz, r.content_hash
     FROM jsonb_to_recordset($3::jsonb) AS r(mutation_id text, client_seq bigint, kind text, exception_id text,
       body jsonb, occurred_at timestamptz, outcome text, reason text, content_hash text)`,
    [
      clientId,
      user.id,
      JSON.stringify(
        d.decided.map(({ mutation: m, outcome, reason }) => ({
          mutation_id: m.mutationId,
          client_seq: m.seq,
          kind: m.body.kind,
          exception_id: m.body.exceptionId,
          body: m.body,
          occurred_at: m.occurredAt,
          outcome,
          reason,
          content_hash: hashes.get(m.mutationId) ?? null,
        })),
      ),
      receivedIso,
    ],
  );

  if (d.resolutions.length > 0) {
    // Resolutions above their SOP's threshold also open an approval for a lead, in the same statement.
    await tx.query(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(exception_id text, mutation_id text, code text,
           action text, note text, amount text, amount_currency text, follow_up_date text,
           occurred_at timestamptz, sop_id text, sop_version text, answers jsonb, handle_ms bigint,
           step_ms jsonb, needs_approval boolean)
       ), inserted AS (
         INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note,
           amount, amount_currency, follow_up_date, occurred_at, sop_id, sop_version, answers, handle_ms,
           step_ms, needs_approval)
         SELECT r.exception_id, $1, $2, r.mutation_id, r.code, r.action, r.note, r.amount::numeric,
           r.amount_currency, r.follow_up_date::date, r.occurred_at, r.sop_id, r.sop_version, r.answers,
           r.handle_ms, r.step_ms, r.needs_approval
         FROM r
         RETURNING id, exception_id, occurred_at, needs_approval
       )
       INSERT INTO approvals (exception_id, resolution_id, requested_by, requested_at)
       SELECT exception_id, id, $1, $4::timestamptz FROM inserted WHERE needs_approval`,
      [
        user.id,
        clientId,
        JSON.stringify(
          d.resolutions.map(({ mutation, exceptionId, resolution, needsApproval }) => ({
            exception_id: exceptionId,
            mutation_id: mutation.mutationId,
            code: resolution.code,
            action: resolution.action,
            note: resolution.note,
            // Decimal text all the way into NUMERIC: never a JS number.
            amount: resolution.amount?.amount ?? null,
            amount_currency: resolution.amount?.currency ?? null,
            follow_up_date: resolution.followUpDate,
            occurred_at: mutation.occurredAt,
            ...checklistColumns(mutation),
            needs_approval: needsApproval,
          })),
        ),
        receivedIso,
      ],
    );
  }

  if (d.notes.length > 0) {
    await tx.query(
      `INSERT INTO exception_notes (exception_id, user_id, client_id, mutation_id, text, occurred_at)
       SELECT r.exception_id, $1, $2, r.mutation_id, r.text, r.occurred_at
       FROM jsonb_to_recordset($3::jsonb) AS r(exception_id text, mutation_id text, text text, occurred_at timestamptz)`,
      [
        user.id,
        clientId,
        JSON.stringify(
          d.notes.map(({ mutation, exceptionId, text }) => ({
            exception_id: exceptionId,
            mutation_id: mutation.mutationId,
            text,
            occurred_at: mutation.occurredAt,
          })),
        ),
      ],
    );
  }

  if (d.superseded.length > 0) {
    await tx.query(
      `INSERT INTO superseded_submissions (client_id, mutation_id, user_id, exception_id, lease_id, kind, body,
         reason, occurred_at)
       SELECT $1, r.mutation_id, $2, r.exception_id, r.lease_id, r.kind, r.body, r.reason, r.occurred_at
       FROM jsonb_to_recordset($3::jsonb) AS r(mutation_id text, exception_id text, lease_id text, kind text,
         body jsonb, reason text, occurred_at timestamptz)`,
      [
        clientId,
        user.id,
        JSON.stringify(
          d.superseded.map(({ mutation, exceptionId, leaseId, reason }) => ({
            mutation_id: mutation.mutationId,
            exception_id: exceptionId,
            lease_id: leaseId,
            kind: mutation.body.kind,
            body: mutation.body,
            reason,
            occurred_at: mutation.occurredAt,
          })),
        ),
      ],
    );
  }

  const feed: FeedEntry[] = [];
  for (const { before, after } of changed) {
    feed.push({
      entity: 'exception',
      entityId: after.id,
      op: 'upsert',
      data: null,
      audience: after.assigneeId,
    });
    if (before.assigneeId && before.assigneeId !== after.assigneeId) {
      feed.push({
        entity: 'exception',
        entityId: after.id,
        op: 'delete',
        data: null,
        audience: before.assigneeId,
      });
    }
  }
  await appendToFeed(tx, feed);
  await appendAudit(tx, d.audit, receivedAt);
}
