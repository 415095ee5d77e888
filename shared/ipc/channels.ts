import { z } from 'zod';
import { exceptionRecordSchema, exceptionSummarySchema } from '../exception';
import { channelSchema, exceptionTypeSchema } from '../exception-types';
import { exceptionStatusSchema } from '../exception-status';
import { userSchema } from '../roles';
import type { BridgeResult } from './envelope';

/**
 * The one bridge between the renderer and the main-process services. Every channel names its
 * input and output schema here; Electron's ipcMain binding and the browser-mode host both
 * validate with these before any service runs, and the renderer's client is typed from them.
 */

const noInput = z.object({}).strict();

export const sessionSchema = z.object({
  user: userSchema,
  serverUrl: z.url(),
  signedInAt: z.iso.datetime({ offset: true }),
});
export type Session = z.infer<typeof sessionSchema>;

export const signInInputSchema = z
  .object({
    serverUrl: z.url().optional(),
    username: z.string().trim().min(1, 'enter your user name').max(64),
    password: z.string().min(1, 'enter your password').max(256),
  })
  .strict();

export const QUEUE_SORTS = ['priority_sla', 'sla_due', 'opened', 'variance_desc', 'updated'] as const;
export const queueSortSchema = z.enum(QUEUE_SORTS);
export type QueueSort = z.infer<typeof queueSortSchema>;

export const queueQuerySchema = z
  .object({
    statuses: z.array(exceptionStatusSchema).max(20).optional(),
    types: z.array(exceptionTypeSchema).max(30).optional(),
    channels: z.array(channelSchema).max(10).optional(),
    /** Free text over id, customer, partner account and agreement. */
    search: z.string().trim().max(100).optional(),
    sort: queueSortSchema.default('priority_sla'),
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
  .pick({ types: true, channels: true, search: true })
  .strict();
export const queueCountsSchema = z.record(exceptionStatusSchema, z.number().int().min(0));
export type QueueCounts = z.infer<typeof queueCountsSchema>;

export const syncStatusSchema = z.object({
  online: z.boolean(),
  state: z.enum(['idle', 'syncing', 'offline', 'error', 'signed_out']),
  pending: z.number().int().min(0),
  failed: z.number().int().min(0),
  conflicts: z.number().int().min(0),
  lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
  lastError: z.string().nullable(),
  localExceptions: z.number().int().min(0),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  defaultServerUrl: z.url(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const channels = {
  'app.info': { input: noInput, output: appInfoSchema },
  'session.current': { input: noInput, output: sessionSchema.nullable() },
  'session.signIn': { input: signInInputSchema, output: sessionSchema },
  'session.signOut': { input: noInput, output: z.object({ signedOut: z.literal(true) }) },
  'queue.list': { input: queueQuerySchema, output: queuePageSchema },
  'queue.counts': { input: queueCountsQuerySchema, output: queueCountsSchema },
  'exception.get': {
    input: z.object({ id: exceptionRecordSchema.shape.id }).strict(),
    output: exceptionRecordSchema,
  },
  'sync.status': { input: noInput, output: syncStatusSchema },
  'sync.now': { input: noInput, output: syncStatusSchema },
} as const;

export type ChannelName = keyof typeof channels;
export type ChannelInput<C extends ChannelName> = z.input<(typeof channels)[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof channels)[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

/** Events pushed from main to renderer; `subscribe` accepts only these names. */
export const events = {
  'sync.status': syncStatusSchema,
  'queue.changed': z.object({ reason: z.enum(['pulled', 'local_change', 'signed_out']) }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/** What preload exposes on `window.ledgerdesk`; the browser-mode client implements the same shape. */
export interface Bridge {
  invoke<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<BridgeResult<ChannelOutput<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
