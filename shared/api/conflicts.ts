import { z } from 'zod';
import { queryInt } from './query';
import { exceptionRecordSchema } from '../exception';
import { mutationBodySchema } from '../sync/mutations';

/**
 * A result an operator pushed for an exception whose lease they had lost (released, reassigned,
 * or expired and taken by someone else). The server keeps it whole for a lead to review; nothing
 * an operator did is discarded.
 */
export const supersededSubmissionSchema = z.object({
  id: z.number().int().positive(),
  exceptionId: exceptionRecordSchema.shape.id,
  userId: z.string(),
  clientId: z.uuid(),
  mutationId: z.uuid(),
  leaseId: z.string(),
  /** The mutation exactly as pushed. */
  body: mutationBodySchema,
  reason: z.string(),
  occurredAt: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime({ offset: true }),
});
export type SupersededSubmission = z.infer<typeof supersededSubmissionSchema>;

export const conflictsQuerySchema = z
  .object({
    /** Pass back the last `id` seen; 0 starts at the oldest. */
    cursor: queryInt({ min: 0, default: 0 }),
    limit: queryInt({ min: 1, max: 500, default: 100 }),
    exceptionId: exceptionRecordSchema.shape.id.optional(),
  })
  .strict();
export type ConflictsQuery = z.infer<typeof conflictsQuerySchema>;

export const conflictsResponseSchema = z.object({
  items: z.array(supersededSubmissionSchema),
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
});
export type ConflictsResponse = z.infer<typeof conflictsResponseSchema>;
