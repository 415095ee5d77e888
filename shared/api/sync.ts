import { z } from 'zod';
import { exceptionSummarySchema } from '../exception';
import { queryInt } from './query';

/** A change-feed row as the server sends it: `seq` orders the whole feed and is the pull cursor. */
export const changeSchema = z.discriminatedUnion('op', [
  z.object({
    seq: z.number().int().positive(),
    entity: z.literal('exception'),
    entityId: z.string(),
    op: z.literal('upsert'),
    /** Without evidence: that comes with a lease, or on open (GET /api/exceptions/:id). */
    data: exceptionSummarySchema,
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

export const pullQuerySchema = z
  .object({
    cursor: queryInt({ min: 0, default: 0 }),
    limit: queryInt({ min: 1, max: 5000, default: 1000 }),
  })
  .strict();
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  /** Pass back as `cursor` on the next pull; equals the last `seq` sent (or the one given). */
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/**
 * GET /api/sync/events (server-sent events). The access token goes in the Authorization header
 * (fetch-based clients) or, for EventSource which cannot set headers, in `access_token`.
 */
export const syncEventsQuerySchema = z
  .object({ access_token: z.string().min(1).max(4096).optional() })
  .strict();
export type SyncEventsQuery = z.infer<typeof syncEventsQuerySchema>;

/**
 * The `data` of a `changed` event: feed rows the user may see were committed up to `seq`; pull.
 * Sent once on connect (the feed's current end) and then after each commit that concerns the user.
 */
export const changedEventSchema = z.object({ seq: z.number().int().min(0) });
export type ChangedEvent = z.infer<typeof changedEventSchema>;

/**
 * HTTP 426 from push, pull and events: the server does not speak the client's sync protocol
 * (older than it still serves, or newer than it knows). The client keeps its outbox and stops
 * syncing until the app (or the server) is updated.
 */
export const updateRequiredSchema = z.object({
  error: z.literal('update_required'),
  message: z.string(),
  /** The protocol versions this server serves, inclusive. */
  minProtocol: z.number().int().min(1),
  maxProtocol: z.number().int().min(1),
});
export type UpdateRequired = z.infer<typeof updateRequiredSchema>;
