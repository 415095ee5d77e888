import { z } from 'zod';
import { mutationBodySchema } from '../sync/mutations';
import { listInput, noInput, type ChannelSpec } from './channel-spec';

export const syncStatusSchema = z.object({
  online: z.boolean(),
  /** update_required: the server does not speak this app's sync protocol; the outbox is kept. */
  state: z.enum(['idle', 'syncing', 'offline', 'error', 'signed_out', 'update_required']),
  pending: z.number().int().min(0),
  failed: z.number().int().min(0),
  conflicts: z.number().int().min(0),
  lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
  lastError: z.string().nullable(),
  localExceptions: z.number().int().min(0),
  /** Server time minus this computer's, ms, when far enough off to matter; null otherwise. */
  clockSkewMs: z.number().int().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const mutationKindSchema = z.enum([
  'exception.start',
  'exception.resolve',
  'exception.skip',
  'exception.note',
]);

export const OUTBOX_ITEM_STATES = ['pending', 'sending', 'failed', 'rejected'] as const;
export const outboxItemSchema = z.object({
  seq: z.number().int().positive(),
  mutationId: z.uuid(),
  kind: mutationKindSchema,
  exceptionId: z.string().nullable(),
  /** pending/sending: waiting for the server; failed: the request was refused (retryable); rejected: the server refused this change. */
  state: z.enum(OUTBOX_ITEM_STATES),
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;
export const outboxListSchema = z.object({
  items: z.array(outboxItemSchema),
  total: z.number().int().min(0),
});
export type OutboxList = z.infer<typeof outboxListSchema>;

export const conflictItemSchema = z.object({
  mutationId: z.uuid(),
  exceptionId: z.string(),
  kind: mutationKindSchema,
  /** The server's reason, in words an operator understands. */
  reason: z.string(),
  /** The change exactly as the operator made it; kept on the server as a superseded submission. */
  body: mutationBodySchema,
  occurredAt: z.iso.datetime({ offset: true }),
  /** When the server's answer arrived. */
  at: z.iso.datetime({ offset: true }),
});
export type ConflictItem = z.infer<typeof conflictItemSchema>;
export const conflictListSchema = z.object({
  items: z.array(conflictItemSchema),
  total: z.number().int().min(0),
});
export type ConflictList = z.infer<typeof conflictListSchema>;

/** Sync: its state, the outbox and the conflicts. */
export const syncChannels = {
  'sync.status': { input: noInput, output: syncStatusSchema, access: 'none' },
  'sync.now': { input: noInput, output: syncStatusSchema, access: 'none' },
  'sync.outbox': { input: listInput, output: outboxListSchema, access: 'session' },
  'sync.conflicts': { input: listInput, output: conflictListSchema, access: 'session' },
  /** Puts outbox entries in `failed` back in line; rejected ones stay (the server decided them). */
  'sync.retryFailed': {
    input: noInput,
    output: z.object({ retried: z.number().int().min(0) }),
    access: 'session',
  },
} as const satisfies Record<string, ChannelSpec>;
