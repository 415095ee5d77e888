import type { ExceptionStatus } from '../../../shared/exception-status';
import { statusAfterResolve } from '../../../shared/resolution';
import type { MutationBody } from '../../../shared/sync/mutations';

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
