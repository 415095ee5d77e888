import type { ExceptionStatus } from '../../../shared/exception-status';
import type { Resolution } from '../../../shared/resolution';
import type { MutationBody } from '../../../shared/sync/mutations';

/**
 * Where a resolution's action leaves the exception. The same rule as the server's
 * (server/src/features/sync/push-decide.ts): the local queue shows the state the push will make.
 */
export function statusAfterResolve(resolution: Resolution): ExceptionStatus {
  switch (resolution.action) {
    case 'pending_partner':
      return 'pending_partner';
    case 'escalate':
      return 'escalated';
    default:
      return 'resolved';
  }
}

/** What a mutation does to the local copy of its exception before the server has seen it. */
export type LocalEffect = { kind: 'status'; status: ExceptionStatus } | { kind: 'remove' } | { kind: 'none' };

export function localEffectOf(body: MutationBody): LocalEffect {
  switch (body.kind) {
    case 'exception.start':
      return { kind: 'status', status: 'in_progress' };
    case 'exception.resolve':
      return { kind: 'status', status: statusAfterResolve(body.resolution) };
    case 'exception.skip':
      // Back to the shared queue: no longer this operator's to see.
      return { kind: 'remove' };
    case 'exception.note':
      return { kind: 'none' };
  }
}
