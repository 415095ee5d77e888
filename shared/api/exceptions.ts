import { z } from 'zod';
import { queryInt } from './query';
import { exceptionRecordSchema } from '../exception';

/** Path parameters of GET /api/exceptions/:id. */
export const exceptionIdParamsSchema = z.object({ id: exceptionRecordSchema.shape.id });
export type ExceptionIdParams = z.infer<typeof exceptionIdParamsSchema>;

export const exceptionHistoryQuerySchema = z
  .object({ limit: queryInt({ min: 1, max: 100, default: 20 }) })
  .strict();

/** One audit row about an exception, as a lead reads it. */
export const historyEntrySchema = z.object({
  at: z.iso.datetime({ offset: true }),
  actorId: z.string().nullable(),
  /** The actor's display name; null for the system or a user since removed. */
  actorName: z.string().nullable(),
  /** The audit action: lease.granted, lease.reassigned, lease.released, mutation.applied, ... */
  action: z.string(),
  /** For pushed mutations, what the operator did (exception.skip, exception.resolve, ...). */
  kind: z.string().nullable(),
  /** Why: the skip reason, the lead's reason, or the server's reason for refusing. */
  reason: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
/** Newest first. */
export const exceptionHistorySchema = z.object({ entries: z.array(historyEntrySchema) });
export type ExceptionHistory = z.infer<typeof exceptionHistorySchema>;
