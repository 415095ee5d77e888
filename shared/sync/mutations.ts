import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';
import { resolutionSchema } from '../resolution';
import { answersSchema, sopRefSchema } from '../sop/module';
import { storableText } from '../text';

/**
 * The changes a desktop client records locally (in its outbox, in the same SQLite transaction
 * as the change itself) and later pushes to the central API. The server applies each one
 * exactly once, keyed by (clientId, mutationId), in the client's `seq` order.
 */
/** Bounded here too: a refusal names the exception, and must not carry a megabyte back. */
const exceptionId = exceptionRecordSchema.shape.id.max(64);
/** The lease the operator held when acting; a result under a lost lease is kept as superseded. */
const leaseId = storableText(64, { min: 1 });

/** Why an operator skips an item; the desktop's bridge checks the same (shared/ipc/channels.ts). */
export const skipReasonSchema = storableText(500, { trim: true, min: 3, minMessage: 'say why you skip it' });
/** A note on an item; the desktop's bridge checks the same. */
export const noteTextSchema = storableText(4000, { trim: true, min: 1, minMessage: 'write the note' });

/** Operator active time on an item, in ms, paused while idle or away from the window. */
export const handleTimeSchema = z
  .object({
    activeMs: z.number().int().min(0),
    /** Per checklist step id. */
    steps: z.record(storableText(64), z.number().int().min(0)),
  })
  .strict();
export type HandleTime = z.infer<typeof handleTimeSchema>;

/**
 * The checklist behind a resolution: the SOP version followed and every answer given. The server
 * runs the same engine over it and refuses a result the SOP does not allow.
 */
export const checklistResultSchema = z
  .object({ sop: sopRefSchema, answers: answersSchema, handle: handleTimeSchema })
  .strict();
export type ChecklistResult = z.infer<typeof checklistResultSchema>;

export const mutationBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exception.start'), exceptionId, leaseId }).strict(),
  z
    .object({
      kind: z.literal('exception.resolve'),
      exceptionId,
      leaseId,
      resolution: resolutionSchema,
      checklist: checklistResultSchema,
    })
    .strict(),
  z
    .object({
      kind: z.literal('exception.skip'),
      exceptionId,
      leaseId,
      reason: skipReasonSchema,
      /** Time spent before skipping counts too (handle time is per touch, not per result). */
      activeMs: z.number().int().min(0).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('exception.note'),
      exceptionId,
      text: noteTextSchema,
    })
    .strict(),
]);
export type MutationBody = z.infer<typeof mutationBodySchema>;
export type MutationKind = MutationBody['kind'];

export const mutationSchema = z
  .object({
    /** Idempotency key, unique per client. */
    mutationId: z.uuid(),
    /** The client's own order; strictly increasing per client. */
    seq: z.number().int().positive(),
    /** When the operator acted (client clock), for the audit trail and handle time. */
    occurredAt: z.iso.datetime({ offset: true }),
    body: mutationBodySchema,
  })
  .strict();
export type Mutation = z.infer<typeof mutationSchema>;

/** Mutations in one push request (one transaction on the server). */
export const MAX_PUSH_BATCH = 1000;

/**
 * A push as the server first reads it: the envelope strictly (a bad one is a 400 naming the
 * field), each mutation only as far as needed to answer it by id. The server then checks every
 * mutation against `mutationSchema` on its own, so one it cannot take is answered `rejected`
 * while the rest of the batch applies (as Replicache's push does).
 */
export const pushEnvelopeSchema = z
  .object({
    clientId: z.uuid(),
    mutations: z
      .array(z.looseObject({ mutationId: z.uuid(), seq: z.number().int().positive() }))
      .min(1)
      .max(MAX_PUSH_BATCH),
  })
  .strict();
export type PushEnvelope = z.infer<typeof pushEnvelopeSchema>;

export const pushRequestSchema = z
  .object({
    clientId: z.uuid(),
    mutations: z.array(mutationSchema).min(1).max(MAX_PUSH_BATCH),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const MUTATION_OUTCOMES = ['applied', 'duplicate', 'superseded', 'rejected'] as const;
/** What the server decided the first time it saw a mutation; a replay reports it as `originalOutcome`. */
export const FIRST_OUTCOMES = ['applied', 'superseded', 'rejected'] as const;
export const mutationResultSchema = z.object({
  mutationId: z.uuid(),
  outcome: z.enum(MUTATION_OUTCOMES),
  /** Why it was superseded or rejected (for a duplicate: the original reason), in words an operator understands. */
  reason: z.string().nullable(),
  /** Only on `duplicate`: the outcome the server recorded when it first applied this mutation. */
  originalOutcome: z.enum(FIRST_OUTCOMES).optional(),
});
export type MutationResult = z.infer<typeof mutationResultSchema>;

/** One result per pushed mutation, in the order of the request. */
export const pushResponseSchema = z.object({ results: z.array(mutationResultSchema) });
export type PushResponse = z.infer<typeof pushResponseSchema>;
