import { attachmentRefSchema } from '../sop/module';
import { evidenceAttachInputSchema, evidenceFileSchema, evidenceReadInputSchema } from '../evidence/attach';
import type { ChannelSpec } from './channel-spec';

/** Evidence files attached to answers. */
export const evidenceChannels = {
  /**
   * Keeps a file on this computer (checked: size, type by content) and answers the reference to
   * put in a file answer; works offline. The file uploads with the result that names it.
   */
  'evidence.attach': { input: evidenceAttachInputSchema, output: attachmentRefSchema, access: 'session' },
  /** An attached file from this computer's store, to view or save (offline too). */
  'evidence.read': { input: evidenceReadInputSchema, output: evidenceFileSchema, access: 'session' },
} as const satisfies Record<string, ChannelSpec>;
