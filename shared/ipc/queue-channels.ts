import { z } from 'zod';
import { exceptionSummarySchema } from '../exception';
import { channelSchema, exceptionTypeSchema } from '../exception-types';
import { exceptionStatusSchema } from '../exception-status';
import { DRILL_ID_LIMIT } from '../kpis/drill';
import type { ChannelSpec } from './channel-spec';

export const QUEUE_SORTS = ['priority_sla', 'sla_due', 'opened', 'variance_desc', 'updated'] as const;
export const queueSortSchema = z.enum(QUEUE_SORTS);
export type QueueSort = z.infer<typeof queueSortSchema>;

export const queueQuerySchema = z
  .object({
    statuses: z.array(exceptionStatusSchema).max(20).optional(),
    types: z.array(exceptionTypeSchema).max(30).optional(),
    channels: z.array(channelSchema).max(10).optional(),
    /** Leads: only items these users hold (user ids). */
    assignees: z.array(z.string().min(1).max(64)).max(50).optional(),
    /** Free text over id, customer, partner account, agreement and invoice (3+ characters; 1-2 match the start of the id). */
    search: z.string().trim().max(100).optional(),
    /** A dashboard drill-down: only these items (empty matches none). */
    ids: z.array(z.string().min(1).max(64)).max(DRILL_ID_LIMIT).optional(),
    sort: queueSortSchema.default('priority_sla'),
    /** The sort backwards (a column header clicked again); the same index, scanned the other way. */
    reverse: z.boolean().optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type QueueQuery = z.input<typeof queueQuerySchema>;

export const queuePageSchema = z.object({
  rows: z.array(exceptionSummarySchema),
  /** Rows matching the filter, for the grid's scroll range. */
  total: z.number().int().min(0),
});
export type QueuePage = z.infer<typeof queuePageSchema>;

/** Status counts ignore the status filter on purpose: they label the status filter chips. */
export const queueCountsQuerySchema = queueQuerySchema
  .pick({ types: true, channels: true, assignees: true, search: true, ids: true })
  .strict();
export const queueCountsSchema = z.record(exceptionStatusSchema, z.number().int().min(0));
export type QueueCounts = z.infer<typeof queueCountsSchema>;

/** The queue: pages and status counts from the local store. */
export const queueChannels = {
  'queue.list': { input: queueQuerySchema, output: queuePageSchema, access: 'session' },
  'queue.counts': { input: queueCountsQuerySchema, output: queueCountsSchema, access: 'session' },
} as const satisfies Record<string, ChannelSpec>;
