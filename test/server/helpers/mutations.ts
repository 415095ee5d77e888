import { randomUUID } from 'node:crypto';
import type { Mutation, MutationBody } from '../../../shared/sync/mutations';
import type { Resolution } from '../../../shared/resolution';

let seq = 0;

/** A mutation as a client's outbox would hold it: fresh id, next seq, now. */
export function mutation(body: MutationBody, at = new Date()): Mutation {
  seq += 1;
  return { mutationId: randomUUID(), seq, occurredAt: at.toISOString(), body };
}

export function writeOff(amount: string, note = 'within tolerance, written off'): Resolution {
  return {
    code: 'WITHIN_TOLERANCE',
    action: 'write_off',
    note,
    amount: { amount, currency: 'USD' },
    followUpDate: null,
  };
}

export const start = (exceptionId: string, leaseId: string): MutationBody => ({
  kind: 'exception.start',
  exceptionId,
  leaseId,
});

export const resolve = (exceptionId: string, leaseId: string, resolution: Resolution): MutationBody => ({
  kind: 'exception.resolve',
  exceptionId,
  leaseId,
  resolution,
});
