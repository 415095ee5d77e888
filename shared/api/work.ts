import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';
import { exceptionTypeSchema } from '../exception-types';

/** A lease: the right to work one exception until it expires (renewed while online). */
export const leaseSchema = z.object({
  leaseId: z.string(),
  exceptionId: exceptionRecordSchema.shape.id,
  userId: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type Lease = z.infer<typeof leaseSchema>;

/**
 * Why an item came back to the operator who resolved it: a lead rejected the write-off (or other
 * resolution held for approval) with this reason. The item waits for that operator alone.
 */
export const returnedSchema = z.object({
  reason: z.string(),
  /** The lead's user id, and when they decided. */
  by: z.string(),
  /** The lead's display name (servers since issue 11; older ones send only the id). */
  byName: z.string().optional(),
  at: z.iso.datetime({ offset: true }),
});
export type Returned = z.infer<typeof returnedSchema>;

export const leasedItemSchema = z.object({
  exception: exceptionRecordSchema,
  lease: leaseSchema,
  /** Set when get-next hands back an item a lead returned to this operator. */
  returned: returnedSchema.optional(),
});
export type LeasedItem = z.infer<typeof leasedItemSchema>;

export const nextRequestSchema = z
  .object({
    /** Narrow to some of the types the operator may work; never widens past them. */
    types: z.array(exceptionTypeSchema).max(30).optional(),
    /** How many to lease at once (a shift's worth for offline work). */
    count: z.number().int().min(1).max(200).default(1),
  })
  .strict();
export type NextRequest = z.input<typeof nextRequestSchema>;

export const nextResponseSchema = z.object({ items: z.array(leasedItemSchema) });
export type NextResponse = z.infer<typeof nextResponseSchema>;

export const renewRequestSchema = z.object({ leaseIds: z.array(z.string()).min(1).max(500) }).strict();
export const renewResponseSchema = z.object({
  renewed: z.array(leaseSchema),
  /** Leases the caller no longer holds (expired and taken, released or reassigned). */
  lost: z.array(z.object({ leaseId: z.string(), reason: z.string() })),
});
export type RenewResponse = z.infer<typeof renewResponseSchema>;

export const releaseRequestSchema = z
  .object({ exceptionId: exceptionRecordSchema.shape.id, reason: z.string().trim().min(3).max(500) })
  .strict();
export const reassignRequestSchema = z
  .object({
    exceptionId: exceptionRecordSchema.shape.id,
    toUserId: z.string().min(1).max(64),
    reason: z.string().trim().min(3).max(500),
  })
  .strict();

/** POST /api/work/release: the exception as it is after going back to the queue. */
export const releaseResponseSchema = z.object({ exception: exceptionRecordSchema });
export type ReleaseResponse = z.infer<typeof releaseResponseSchema>;

/** POST /api/work/reassign answers the new holder's lease with the exception. */
export const reassignResponseSchema = leasedItemSchema;
export type ReassignResponse = z.infer<typeof reassignResponseSchema>;
export type RenewRequest = z.infer<typeof renewRequestSchema>;
export type ReleaseRequest = z.infer<typeof releaseRequestSchema>;
export type ReassignRequest = z.infer<typeof reassignRequestSchema>;
