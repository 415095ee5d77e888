import type { BridgeErrorCode, BridgeIssue } from '@shared/ipc/envelope';

/**
 * A failure a handler means the renderer to see: its code and message reach the envelope as
 * they are. Anything else thrown is reported as `internal` without its message or stack.
 */
export class BridgeFailure extends Error {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
    readonly issues?: BridgeIssue[],
  ) {
    super(message);
    this.name = 'BridgeFailure';
  }
}
