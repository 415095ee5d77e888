import type { BridgeError, BridgeErrorCode, BridgeIssue } from '@shared/ipc/envelope';
import type { ChannelName } from '@shared/ipc/channels';
import { issuesInWords } from '../lib/issue-words';

/** A failed bridge call, carrying the envelope's code, message and field-level issues. */
export class BridgeCallError extends Error {
  readonly code: BridgeErrorCode;
  readonly issues: readonly BridgeIssue[];
  readonly channel: ChannelName;

  constructor(channel: ChannelName, error: BridgeError) {
    super(error.message);
    this.name = 'BridgeCallError';
    this.code = error.code;
    this.issues = error.issues ?? [];
    this.channel = channel;
  }

  /** The message for one input field (path as the service reports it, e.g. "password"). */
  issueFor(path: string): string | undefined {
    return this.issues.find((i) => i.path === path)?.message;
  }
}

export function isBridgeCallError(e: unknown): e is BridgeCallError {
  return e instanceof BridgeCallError;
}

/**
 * Text for any thrown value, precise when it is a bridge error. Refused input is told in words
 * ("Choose a resolution code"), never as the channel's name and the schema's own text.
 */
export function describeError(e: unknown): string {
  if (e instanceof BridgeCallError) {
    if (e.code === 'invalid_input' && e.issues.length > 0) return issuesInWords(e.issues).join('. ') + '.';
    return e.message;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
