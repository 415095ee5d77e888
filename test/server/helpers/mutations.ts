import { randomUUID } from 'node:crypto';
import type { Mutation, MutationBody } from '@shared/sync/mutations';
import type { ChecklistException } from '@shared/sop/engine';
import {
  MONEY_ACTIONS,
  PLAIN_ACTIONS,
  amountNeedingApproval,
  checklistFor,
  moduleForException,
  resolutionOf,
  solveChecklist,
  type SolvePreference,
} from '../../support/sop-solver';

let seq = 0;

/** A mutation as a client's outbox would hold it: fresh id, next seq, now. */
export function mutation(body: MutationBody, at = new Date()): Mutation {
  seq += 1;
  return { mutationId: randomUUID(), seq, occurredAt: at.toISOString(), body };
}

/** What a test wants from a resolve; the SOP checklist and the code follow from the module. */
export interface ResolveSpec {
  prefer?: SolvePreference;
  /** For money actions, in the exception's variance currency. */
  amount?: string;
  note?: string;
}

/**
 * A resolution that settles the exception's whole variance (a write-off where the module offers
 * one for the item, else a credit memo or rebill), below any approval threshold of the module;
 * `amount` only to send some other amount (which the server refuses unless it fits the variance).
 */
export function writeOff(amount?: string, note = 'within tolerance, written off'): ResolveSpec {
  return {
    prefer: { actions: ['write_off', ...MONEY_ACTIONS], approval: 'avoid' },
    ...(amount === undefined ? {} : { amount }),
    note,
  };
}

/** A resolution without money that leaves the item `resolved`. */
export function plain(note = 'checked, nothing to adjust'): ResolveSpec {
  return { prefer: { actions: PLAIN_ACTIONS, approval: 'avoid' }, note };
}

/**
 * A resolution the exception's module holds for a lead's approval: an action with an approval
 * rule (a write-off first) and an amount just above its threshold in the variance currency.
 */
export function aboveThreshold(exception: ChecklistException, today: string): ResolveSpec {
  const module = moduleForException(exception);
  const rules = [...module.approvals].sort(
    (a, b) => Number(b.action === 'write_off') - Number(a.action === 'write_off'),
  );
  for (const rule of rules) {
    const amount = amountNeedingApproval(module, rule.action, exception.variance);
    if (amount === null) continue;
    const prefer: SolvePreference = { actions: [rule.action], approval: 'require' };
    try {
      solveChecklist(module, exception, today, {
        ...prefer,
        amount: { amount, currency: exception.variance.currency },
      });
      return { prefer, amount, note: `${rule.action} above the threshold, for a lead` };
    } catch {
      // This action is not offered for this item; try the next rule.
    }
  }
  throw new Error(`SOP ${module.id} holds nothing for approval on ${exception.id}`);
}

/**
 * A resolve as the desktop sends it: the resolution, and the checklist of the module that
 * applies to the exception, answered by the test solver (on the day of `at`, as the server
 * checks date bounds on the mutation's day).
 */
export function resolve(
  exception: ChecklistException,
  leaseId: string,
  spec: ResolveSpec = plain(),
  at = new Date(),
): MutationBody {
  const today = at.toISOString().slice(0, 10);
  const movesMoney = spec.prefer?.actions?.every((a) => MONEY_ACTIONS.includes(a)) ?? false;
  const sent = spec.amount ?? (movesMoney ? exception.variance.amount : undefined);
  const amount = sent === undefined ? null : { amount: sent, currency: exception.variance.currency };
  const solved = checklistFor(exception, { today, prefer: { ...spec.prefer, amount } });
  return {
    kind: 'exception.resolve',
    exceptionId: exception.id,
    leaseId,
    resolution: resolutionOf(exception, solved.resolution, {
      today,
      ...(sent === undefined ? {} : { amount: sent }),
      ...(spec.note === undefined ? {} : { note: spec.note }),
    }),
    checklist: solved.checklist,
  };
}

export const start = (exceptionId: string, leaseId: string): MutationBody => ({
  kind: 'exception.start',
  exceptionId,
  leaseId,
});
