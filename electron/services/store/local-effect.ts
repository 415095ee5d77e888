import type { ExceptionStatus } from '@shared/exception-status';
import { statusAfterSubmit } from '@shared/resolution';
import type { MutationBody } from '@shared/sync/mutations';

/** What a mutation does to the local copy of its exception before the server has seen it. */
export type LocalEffect = { kind: 'status'; status: ExceptionStatus } | { kind: 'remove' } | { kind: 'none' };

/**
 * `needsApproval`: the resolution is above its SOP's threshold, so the server will hold it in
 * pending_approval; the desktop shows the same before the push (re-applied after a pull).
 */
export function localEffectOf(body: MutationBody, needsApproval = false): LocalEffect {
  switch (body.kind) {
    case 'exception.start':
      return { kind: 'status', status: 'in_progress' };
    case 'exception.resolve':
      return {
        kind: 'status',
        status: statusAfterSubmit(body.resolution, needsApproval),
      };
    case 'exception.skip':
      // Back to the shared queue: no longer this operator's to see.
      return { kind: 'remove' };
    case 'exception.note':
      return { kind: 'none' };
  }
}
