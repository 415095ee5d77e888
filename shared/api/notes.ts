import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';

/**
 * One note in an item's thread. `id` is the mutation id the desk made when the note was written,
 * so the desk's own copy (kept at once, before the push) and the server's copy are one row.
 */
export const noteSchema = z.object({
  id: z.string().min(1).max(64),
  exceptionId: exceptionRecordSchema.shape.id,
  authorId: z.string().min(1).max(64),
  /** The author's display name; null for a user since removed. */
  authorName: z.string().max(200).nullable(),
  /** When the author wrote it (their clock, checked by the server's window on push). */
  at: z.iso.datetime({ offset: true }),
  text: z.string().max(4000),
});
export type Note = z.infer<typeof noteSchema>;

/** GET /api/exceptions/:id/notes: the thread, oldest first. */
export const exceptionNotesSchema = z.object({ notes: z.array(noteSchema) });
export type ExceptionNotes = z.infer<typeof exceptionNotesSchema>;
