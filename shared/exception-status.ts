import { z } from 'zod';

/**
 * The lifecycle of a billing exception. Transitions are data so the server, the client and the
 * tests all read the same table; anything not listed is refused.
 */
export const EXCEPTION_STATUSES = [
  'open', // detected, waiting to be allocated
  'assigned', // leased to an operator
  'in_progress', // the operator has started the checklist
  'pending_partner', // waiting on the partner until a follow-up date
  'pending_approval', // resolution above threshold, waiting for a lead
  'escalated', // handed to a lead / specialist
  'resolved', // resolution recorded; may be sampled for QA
  'rework', // QA failed; back to the operator with feedback
  'closed', // final: QA passed or not sampled
  'auto_cleared', // final: a later match cleared it with no human touch
] as const;

export const exceptionStatusSchema = z.enum(EXCEPTION_STATUSES);
export type ExceptionStatus = z.infer<typeof exceptionStatusSchema>;

export const STATUS_TRANSITIONS: Readonly<Record<ExceptionStatus, readonly ExceptionStatus[]>> = {
  open: ['assigned', 'auto_cleared'],
  assigned: ['in_progress', 'open', 'assigned', 'auto_cleared'],
  in_progress: ['resolved', 'pending_partner', 'pending_approval', 'escalated', 'open', 'assigned'],
  pending_partner: ['open', 'assigned', 'in_progress', 'auto_cleared'],
  // A rejected approval goes back to the queue with the lead's reason (see features/approvals).
  pending_approval: ['resolved', 'in_progress', 'open'],
  escalated: ['assigned', 'in_progress', 'resolved', 'open'],
  resolved: ['closed', 'rework'],
  rework: ['assigned', 'in_progress'],
  closed: [],
  auto_cleared: [],
};

export const TERMINAL_STATUSES: readonly ExceptionStatus[] = ['closed', 'auto_cleared'];

export function canTransition(from: ExceptionStatus, to: ExceptionStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: ExceptionStatus,
    readonly to: ExceptionStatus,
  ) {
    super(`an exception in status "${from}" cannot move to "${to}"`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertTransition(from: ExceptionStatus, to: ExceptionStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export const STATUS_LABELS: Readonly<Record<ExceptionStatus, string>> = {
  open: 'Open',
  assigned: 'Assigned',
  in_progress: 'In progress',
  pending_partner: 'Pending partner',
  pending_approval: 'Pending approval',
  escalated: 'Escalated',
  resolved: 'Resolved',
  rework: 'Rework',
  closed: 'Closed',
  auto_cleared: 'Auto-cleared',
};
