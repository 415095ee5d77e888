import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';

/** A change-feed row as the server sends it: `seq` orders the whole feed and is the pull cursor. */
export const changeSchema = z.discriminatedUnion('op', [
  z.object({
    seq: z.number().int().positive(),
    entity: z.literal('exception'),
    entityId: z.string(),
    op: z.literal('upsert'),
    data: exceptionRecordSchema,
  }),
  z.object({
    seq: z.number().int().positive(),
    entity: z.literal('exception'),
    entityId: z.string(),
    op: z.literal('delete'),
    data: z.null(),
  }),
]);
export type Change = z.infer<typeof changeSchema>;

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  /** Pass back as `cursor` on the next pull; equals the last `seq` sent (or the one given). */
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
