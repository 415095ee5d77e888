import type { Mutation, MutationResult, PushRequest, PushResponse } from '../../../../shared/sync/mutations';
import { exceptionStatusSchema } from '../../../../shared/exception-status';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { appendToFeed, type FeedEntry } from '../../db/change-feed';
import { LOCK_PUSH_CLIENT } from '../../db/locks';
import type { Database, Queryable } from '../../db/types';
import { endLeasesWithReasons, findLeases } from '../work/leases-repo';
import { needsApproval, resolutionProblems } from '../../../../shared/sop/engine';
import { exceptionSummaryJsonSql } from '../exceptions/row-mapping';
import type { ExceptionSummary } from '../../../../shared/exception';
import type { SopRegistry } from '../sops/registry';
import { attachmentProblems } from '../evidence/attachment-check';
import {
  decidePush,
  type SopVerdict,
  resultOf,
  type ExceptionState,
  type FirstOutcome,
  type PushDecision,
} from './push-decide';

/**
 * Applies a pushed batch in one transaction: every mutation's outcome (sync_mutations), its
 * effects (exceptions, resolutions, notes, superseded submissions, ended leases), one feed row
 * per changed exception and one audit row per mutation. A crash anywhere before COMMIT rolls all
 * of it back, and the client's retry finds nothing recorded and applies the batch once; a crash
 * after COMMIT leaves the outcomes recorded, and the retry is answered `duplicate` with them.
 *
 * Set-based: a fixed number of statements per batch (about a dozen), whatever its size, each
 * carrying the whole batch as one jsonb array or a few text arrays.
 */
export async function applyPush(
  db: Database,
  sops: SopRegistry,
  user: AuthUser,
  request: PushRequest,
): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_PUSH_CLIENT, request.clientId]);
    const known = await tx.query<{ mutation_id: string; outcome: FirstOutcome; reason: string | null }>(
      `SELECT mutation_id, outcome, reason FROM sync_mutations WHERE client_id = $1 AND mutation_id = ANY($2::text[])`,
      [request.clientId, request.mutations.map((m) => m.mutationId)],
    );
    const recorded = new Map(known.map((k) => [k.mutation_id, { outcome: k.outcome, reason: k.reason }]));

    // New mutations in the client's order; a mutation id repeated inside the batch counts once.
    const fresh: Mutation[] = [];
    const inBatch = new Set<string>();
    for (const m of [...request.mutations].sort((a, b) => a.seq - b.seq)) {
      if (recorded.has(m.mutationId) || inBatch.has(m.mutationId)) continue;
      inBatch.add(m.mutationId);
      fresh.push(m);
    }

    let decision: PushDecision | null = null;
    if (fresh.length > 0) {
      const rows = await lockRows(tx, [...new Set(fresh.map((m) => m.body.exceptionId))]);
      const leaseIds = fresh.flatMap((m) => ('leaseId' in m.body ? [m.body.leaseId] : []));
      const leases = await findLeases(tx, leaseIds);
      const verdicts = await sopVerdicts(tx, sops, fresh);
      for (const [mutationId, problems] of await attachmentProblems(tx, user.id, fresh)) {
        const verdict = verdicts.get(mutationId);
        if (verdict) verdicts.set(mutationId, { ...verdict, problems: [...verdict.problems, ...problems] });
      }
      decision = decidePush(user, fresh, rows, leases, request.clientId, verdicts);
      await writeDecision(tx, user, request.clientId, decision);
    }

    const firstTime = new Map((decision?.decided ?? []).map((d) => [d.mutation.mutationId, resultOf(d)]));
    const answered = new Set<string>();
    return {
      results: request.mutations.map((m): MutationResult => {
        const now = firstTime.get(m.mutationId);
        if (now && !answered.has(m.mutationId)) {
          answered.add(m.mutationId);
          return now;
        }
        const before =
          recorded.get(m.mutationId) ??
          (now ? { outcome: now.outcome as FirstOutcome, reason: now.reason } : undefined);
        if (!before) throw new Error(`mutation ${m.mutationId} was neither recorded nor decided`);
        return {
          mutationId: m.mutationId,
          outcome: 'duplicate',
          reason: before.reason,
          originalOutcome: before.outcome,
        };
      }),
    };
  });
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
 * it and exactly the module version the operator followed. The operator's day (for date bounds)
 * is the day they acted, from the mutation.
 */
async function sopVerdicts(
  tx: Queryable,
  sops: SopRegistry,
  mutations: readonly Mutation[],
): Promise<Map<string, SopVerdict>> {
  const resolves = mutations.flatMap((m) =>
    m.body.kind === 'exception.resolve' ? [{ m, body: m.body }] : [],
  );
  const verdicts = new Map<string, SopVerdict>();
  if (resolves.length === 0) return verdicts;
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
      const input = { module, exception, answers: body.checklist.answers, today: m.occurredAt.slice(0, 10) };
      verdicts.set(m.mutationId, {
        problems: resolutionProblems(input, body.resolution),
        needsApproval: needsApproval(module, body.resolution),
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
): Promise<void> {
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
  await endLeasesWithReasons(tx, d.endedLeases);

  await tx.query(
    `INSERT INTO sync_mutations (client_id, mutation_id, user_id, client_seq, kind, exception_id, body,
       occurred_at, outcome, reason)
     SELECT $1, r.mutation_id, $2, r.client_seq, r.kind, r.exception_id, r.body, r.occurred_at, r.outcome, r.reason
     FROM jsonb_to_recordset($3::jsonb) AS r(mutation_id text, client_seq bigint, kind text, exception_id text,
       body jsonb, occurred_at timestamptz, outcome text, reason text)`,
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
        })),
      ),
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
       SELECT exception_id, id, $1, occurred_at FROM inserted WHERE needs_approval`,
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
  await appendAudit(tx, d.audit);
}
