import { z } from 'zod';
import { noteTextSchema } from '../sync/mutations';
import { noteSchema } from '../api/notes';
import { exceptionIdInput, type ChannelSpec } from './channel-spec';

/** An item's note thread. */
export const notesChannels = {
  /**
   * An item's note thread, oldest first: the notes kept on this computer at once, refreshed from
   * the server when it answers (and kept, so they show offline after). `offline`: the server
   * could not be reached, so notes other people added since the last refresh are not shown.
   */
  'exception.notes': {
    input: z.object({ exceptionId: exceptionIdInput }).strict(),
    output: z.object({
      notes: z.array(
        noteSchema.extend({
          delivery: z.enum(['sent', 'sending', 'refused']),
          problem: z.string().nullable(),
        }),
      ),
      offline: z.boolean(),
    }),
    access: 'session',
  },
  /** A note on an item: in its thread here at once, and queued for the server like every operator change. */
  'exception.addNote': {
    input: z.object({ exceptionId: exceptionIdInput, text: noteTextSchema }).strict(),
    output: z.object({ mutationId: z.uuid() }),
    access: 'session',
  },
} as const satisfies Record<string, ChannelSpec>;
