import { z } from 'zod';
import { exceptionRecordSchema, localExceptionSchema } from '../exception';
import { exceptionTypeSchema } from '../exception-types';
import { resolutionSchema } from '../resolution';
import { skipReasonSchema } from '../sync/mutations';
import { returnedSchema } from '../api/work';
import { exceptionIdInput, noInput, type ChannelSpec } from './channel-spec';

/** A lease as the desktop holds it locally (see electron/services/store/lease-repo.ts). */
export const LOCAL_LEASE_STATES = ['held', 'working', 'done', 'lost'] as const;
export const localLeaseSchema = z.object({
  leaseId: z.string(),
  exceptionId: exceptionRecordSchema.shape.id,
  expiresAt: z.iso.datetime({ offset: true }),
  /** held: leased, not started; working: started; done: resolved or skipped here; lost: the server took it back. */
  state: z.enum(LOCAL_LEASE_STATES),
  /** Why the server no longer lets this operator hold it (lost only). */
  lostReason: z.string().nullable(),
  /**
   * Set when this lease handed back an item a lead rejected (a write-off above its approval
   * threshold): the lead's reason, their user id and when. The workspace shows it above the checklist.
   */
  returned: returnedSchema.nullable(),
});
export type LocalLease = z.infer<typeof localLeaseSchema>;

export const workNextInputSchema = z
  .object({ types: z.array(exceptionTypeSchema).max(30).optional() })
  .strict();
export const workNextOutputSchema = z.object({
  /** The most urgent item leased to the operator and not finished here; null when the local queue is empty. */
  item: z.object({ exception: localExceptionSchema, lease: localLeaseSchema }).nullable(),
  /** Leased items not yet finished, including this one (what remains of the prefetched shift). */
  remaining: z.number().int().min(0),
});
export type WorkNextOutput = z.infer<typeof workNextOutputSchema>;

export const workLeasesSchema = z.object({
  /** Leases the operator holds and has not finished, most urgent first. */
  held: z.array(localLeaseSchema),
  /** Leases the server took back (reassigned, released, expired and re-allocated), newest first. */
  lost: z.array(localLeaseSchema),
});
export type WorkLeases = z.infer<typeof workLeasesSchema>;

export const MAX_PREFETCH = 400;
export const workSettingsSchema = z.object({
  /** How many leased items the client keeps in hand while online (a shift's worth for offline work). */
  prefetchCount: z.number().int().min(0).max(MAX_PREFETCH),
});
export type WorkSettings = z.infer<typeof workSettingsSchema>;

/** What every operator action answers: the local record after the change (null when it left the queue). */
export const operatorActionResultSchema = z.object({
  /** The outbox entry recorded for the server; null when nothing needed recording (a repeated start). */
  mutationId: z.uuid().nullable(),
  exception: localExceptionSchema.nullable(),
});
export type OperatorActionResult = z.infer<typeof operatorActionResultSchema>;

/** An operator's work: leased items, get next, and the actions on an item. */
export const workChannels = {
  'work.next': { input: workNextInputSchema, output: workNextOutputSchema, access: 'session' },
  'work.leases': { input: noInput, output: workLeasesSchema, access: 'session' },
  'work.settings': { input: noInput, output: workSettingsSchema, access: 'none' },
  'work.updateSettings': { input: workSettingsSchema.strict(), output: workSettingsSchema, access: 'none' },
  'exception.start': {
    input: z.object({ exceptionId: exceptionIdInput }).strict(),
    output: operatorActionResultSchema,
    access: 'session',
  },
  'exception.resolve': {
    input: z.object({ exceptionId: exceptionIdInput, resolution: resolutionSchema }).strict(),
    output: operatorActionResultSchema,
    access: 'session',
  },
  'exception.skip': {
    input: z
      .object({
        exceptionId: exceptionIdInput,
        reason: skipReasonSchema,
      })
      .strict(),
    output: operatorActionResultSchema,
    access: 'session',
  },
} as const satisfies Record<string, ChannelSpec>;
