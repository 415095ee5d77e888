import type { Mutation, MutationResult } from '@shared/sync/mutations';
import { assertTransition, IllegalTransitionError, type ExceptionStatus } from '@shared/exception-status';
import { statusAfterSubmit, type Resolution } from '@shared/resolution';
import type { AuditEntry } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import type { LeaseHistory } from '../work/leases-repo';
import { isSupervisor } from '../../auth/supervisor';

/** The part of an exception row a push can read and change. */
export interface ExceptionState {
  id: string;
  status: ExceptionStatus;
  assigneeId: string | null;
  leaseId: string | null;
}

export type FirstOutcome = 'applied' | 'superseded' | 'rejected';

export interface Decided {
  mutation: Mutation;
  outcome: FirstOutcome;
  reason: string | null;
}

export interface PushDecision {
  decided: Decided[];
  /** Exceptions whose row changed: the state before the batch and after it. */
  changed: Map<string, { before: ExceptionState; after: ExceptionState }>;
  endedLeases: { leaseId: string; reason: string }[];
  resolutions: { mutation: Mutation; exceptionId: string; resolution: Resolution; needsApproval: boolean }[];
  notes: { mutation: Mutation; exceptionId: string; text: string }[];
  superseded: { mutation: Mutation; exceptionId: string; leaseId: string; reason: string }[];
  audit: AuditEntry[];
}

/**
 * The SOP engine's verdict on one resolve mutation, worked out before the decision (it needs the
 * module and the exception): why the SOP refuses it, and whether a lead must approve it.
 */
export interface SopVerdict {
  problems: readonly string[];
  needsApproval: boolean;
}

/**
 * Decides every new mutation of a batch, in client seq order, against the locked rows and the
 * lease history; pure, so the rules read and test without a database. Each mutation sees the
 * effects of the ones before it in the batch.
 *
 * - A lease-bearing mutation (start / resolve / skip) applies only while the exception's current
 *   lease is the one it names and the caller holds it. If the lease was the caller's but is gone
 *   (released, reassigned, expired and re-allocated, or already completed), the work is kept as a
 *   superseded submission. A lease that was never the caller's is rejected.
 * - A note needs no lease: the holder (or a lead / admin) may add one.
 * - Lifecycle moves go through shared/exception-status.ts; an illegal one is rejected with the
 *   transition named. A resolve on an `assigned` item passes through in_progress (a client that
 *   lost its `start` to a crash still gets its result in).
 */
export function decidePush(
  user: AuthUser,
  mutations: readonly Mutation[],
  rows: ReadonlyMap<string, ExceptionState>,
  leases: ReadonlyMap<string, LeaseHistory>,
  clientId: string,
  verdicts: ReadonlyMap<string, SopVerdict> = new Map(),
): PushDecision {
  const current = new Map<string, ExceptionState>();
  for (const [id, row] of rows) current.set(id, { ...row });
  const decision: PushDecision = {
    decided: [],
    changed: new Map(),
    endedLeases: [],
    resolutions: [],
    notes: [],
    superseded: [],
    audit: [],
  };
  const endedHere = new Map<string, string>();

  const touch = (id: string, after: ExceptionState): void => {
    const before = decision.changed.get(id)?.before ?? rows.get(id);
    if (!before) throw new Error(`no row for ${id}`);
    decision.changed.set(id, { before, after });
    current.set(id, after);
  };
  const endLease = (leaseId: string, reason: string): void => {
    decision.endedLeases.push({ leaseId, reason });
    endedHere.set(leaseId, reason);
  };

  for (const m of mutations) {
    const body = m.body;
    const exceptionId = body.exceptionId;
    const decide = (
      outcome: FirstOutcome,
      reason: string | null,
      details: Record<string, unknown> = {},
    ): void => {
      decision.decided.push({ mutation: m, outcome, reason });
      decision.audit.push({
        actorId: user.id,
        action: `mutation.${outcome}`,
        entity: 'exception',
        entityId: exceptionId,
        details: {
          clientId,
          mutationId: m.mutationId,
          clientSeq: m.seq,
          kind: body.kind,
          occurredAt: m.occurredAt,
          reason,
          ...details,
        },
      });
    };
    const row = current.get(exceptionId);
    if (!row) {
      decide('rejected', `exception ${exceptionId} does not exist`);
      continue;
    }

    if (body.kind === 'exception.note') {
      if (row.assigneeId !== user.id && !isSupervisor(user)) {
        decide('rejected', `${exceptionId} is not assigned to you, so you cannot add a note to it`);
        continue;
      }
      decision.notes.push({ mutation: m, exceptionId, text: body.text });
      decide('applied', null);
      continue;
    }

    const holds = row.leaseId === body.leaseId && row.assigneeId === user.id;
    if (!holds) {
      const history = leases.get(body.leaseId);
      if (!history || history.userId !== user.id || history.exceptionId !== exceptionId) {
        decide('rejected', `lease ${body.leaseId} on ${exceptionId} was never yours`);
        continue;
      }
      const why = endedHere.get(body.leaseId) ?? history.endReason ?? 'the lease is no longer held';
      const reason = `you no longer hold ${exceptionId} (${why}); your work is kept for a lead to review`;
      decision.superseded.push({ mutation: m, exceptionId, leaseId: body.leaseId, reason });
      decide('superseded', reason, { leaseId: body.leaseId });
      continue;
    }

    try {
      if (body.kind === 'exception.start') {
        if (row.status === 'in_progress') {
          decide('applied', null, { from: row.status, to: row.status });
          continue;
        }
        assertTransition(row.status, 'in_progress');
        touch(exceptionId, { ...row, status: 'in_progress' });
        decide('applied', null, { from: row.status, to: 'in_progress' });
      } else if (body.kind === 'exception.resolve') {
        const verdict = verdicts.get(m.mutationId);
        if (!verdict) throw new Error(`no SOP verdict for ${m.mutationId}`);
        if (verdict.problems.length > 0) {
          decide('rejected', `the SOP does not allow this result: ${verdict.problems.join('; ')}`);
          continue;
        }
        const target = statusAfterSubmit(body.resolution, verdict.needsApproval);
        if (row.status !== 'in_progress') assertTransition(row.status, 'in_progress');
        assertTransition('in_progress', target);
        // The resolver stays the assignee (their result, visible to them); the lease is spent.
        touch(exceptionId, { ...row, status: target, leaseId: null });
        endLease(
          body.leaseId,
          `completed: ${body.resolution.action}${verdict.needsApproval ? ', waiting for a lead to approve' : ''}`,
        );
        decision.resolutions.push({
          mutation: m,
          exceptionId,
          resolution: body.resolution,
          needsApproval: verdict.needsApproval,
        });
        decide('applied', null, {
          from: row.status,
          to: target,
          leaseId: body.leaseId,
          code: body.resolution.code,
          action: body.resolution.action,
          sop: body.checklist.sop,
          handleMs: body.checklist.handle.activeMs,
          needsApproval: verdict.needsApproval,
        });
      } else {
        assertTransition(row.status, 'open');
        touch(exceptionId, { ...row, status: 'open', assigneeId: null, leaseId: null });
        endLease(body.leaseId, `skipped: ${body.reason}`);
        decide('applied', null, {
          from: row.status,
          to: 'open',
          leaseId: body.leaseId,
          skipReason: body.reason,
        });
      }
    } catch (error) {
      if (!(error instanceof IllegalTransitionError)) throw error;
      decide('rejected', error.message);
    }
  }
  return decision;
}

export function resultOf(d: Decided): MutationResult {
  return { mutationId: d.mutation.mutationId, outcome: d.outcome, reason: d.reason };
}
