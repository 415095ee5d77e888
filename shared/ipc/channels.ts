import { z } from 'zod';
import {
  evidenceSchema,
  exceptionRecordSchema,
  exceptionSummarySchema,
  localExceptionSchema,
} from '../exception';
import { channelSchema, exceptionTypeSchema } from '../exception-types';
import { exceptionStatusSchema } from '../exception-status';
import { resolutionSchema } from '../resolution';
import { userSchema } from '../roles';
import { mutationBodySchema, noteTextSchema, skipReasonSchema } from '../sync/mutations';
import type { BridgeResult } from './envelope';
import {
  approvalDecisionResponseSchema,
  approvalDecisionSchema,
  approvalIdParamsSchema,
  approvalsQuerySchema,
  approvalsResponseSchema,
} from '../api/approvals';
import { answersSchema, attachmentRefSchema, sopModuleSchema, sopRefSchema } from '../sop/module';
import { evidenceAttachInputSchema, evidenceFileSchema, evidenceReadInputSchema } from '../evidence/attach';
import { teamMemberSchema } from '../api/users';
import { exceptionHistorySchema } from '../api/exceptions';
import { noteSchema } from '../api/notes';
import { returnedSchema } from '../api/work';

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
    /** Leads: only items these users hold (user ids). */
    assignees: z.array(z.string().min(1).max(64)).max(50).optional(),
    /** Free text over id, customer, partner account, agreement and invoice (3+ characters; 1-2 match the start of the id). */
    search: z.string().trim().max(100).optional(),
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
  .pick({ types: true, channels: true, assignees: true, search: true })
  .strict();
export const queueCountsSchema = z.record(exceptionStatusSchema, z.number().int().min(0));
export type QueueCounts = z.infer<typeof queueCountsSchema>;

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

export const appInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  defaultServerUrl: z.url(),
  /**
   * Set when start-up found the local database damaged, moved it aside and started a new one:
   * what was kept, in words for the operator (shown until the app restarts).
   */
  storeRecovery: z
    .object({
      movedTo: z.string(),
      outbox: z.number().int().min(0),
      drafts: z.number().int().min(0),
      message: z.string(),
    })
    .nullable()
    .optional(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

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

const exceptionIdInput = exceptionRecordSchema.shape.id;
/** What every operator action answers: the local record after the change (null when it left the queue). */
export const operatorActionResultSchema = z.object({
  /** The outbox entry recorded for the server; null when nothing needed recording (a repeated start). */
  mutationId: z.uuid().nullable(),
  exception: localExceptionSchema.nullable(),
});
export type OperatorActionResult = z.infer<typeof operatorActionResultSchema>;

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

/**
 * The resolution form as the operator left it (a draft: checked as a Resolution only when they
 * resolve). Autosaved with the checklist, so a crash loses the form no more than the answers.
 */
export const resolutionDraftSchema = z
  .object({
    code: z.string().max(16),
    action: z.string().max(32),
    amount: z.string().max(40),
    followUp: z.string().max(10),
    note: z.string().max(4000),
  })
  .strict();
export type ResolutionDraft = z.infer<typeof resolutionDraftSchema>;

/** The checklist an operator is filling in for one item, as autosaved on this machine. */
export const checklistDraftSchema = z.object({
  /** The version the run is pinned to (set by the first save); null before any answer. */
  sop: sopRefSchema.nullable(),
  answers: answersSchema,
  activeMs: z.number().int().min(0),
  stepMs: z.record(z.string(), z.number().int().min(0)),
  resolution: resolutionDraftSchema.nullable(),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ChecklistDraft = z.infer<typeof checklistDraftSchema>;

export const checklistViewSchema = z.object({
  /** The module the item is worked under: the pinned version, else the newest for its type; null when none is cached yet. */
  module: sopModuleSchema.nullable(),
  draft: checklistDraftSchema,
});
export type ChecklistView = z.infer<typeof checklistViewSchema>;

export const checklistSaveInputSchema = z
  .object({
    exceptionId: exceptionRecordSchema.shape.id,
    /** The whole answer set (small); the last save wins. */
    answers: answersSchema,
    /** Active time since the previous save, overall and per step. */
    activeMsDelta: z.number().int().min(0).max(3_600_000),
    stepMsDelta: z.record(z.string().max(64), z.number().int().min(0).max(3_600_000)),
    /** The resolution form; omitted: the saved one stays. */
    resolution: resolutionDraftSchema.optional(),
  })
  .strict();

/** One item of a lead's bulk action: done, or why not (in the server's words). */
export const teamItemResultSchema = z.object({
  exceptionId: exceptionIdInput,
  ok: z.boolean(),
  message: z.string(),
});
export type TeamItemResult = z.infer<typeof teamItemResultSchema>;
/** Every item asked for, in the order asked; one failure never stops the rest. */
export const teamResultsSchema = z.object({ results: z.array(teamItemResultSchema) });
export type TeamResults = z.infer<typeof teamResultsSchema>;

/** The server answers each item in its own request, so a bulk action stays a lead-sized batch. */
export const MAX_TEAM_BATCH = 200;
const teamItemsInput = z.array(exceptionIdInput).min(1).max(MAX_TEAM_BATCH);
const teamReasonInput = z.string().trim().min(3, 'say why (at least 3 characters)').max(500);
export const teamReassignInputSchema = z
  .object({ exceptionIds: teamItemsInput, toUserId: z.string().min(1).max(64), reason: teamReasonInput })
  .strict();
export type TeamReassignInput = z.output<typeof teamReassignInputSchema>;
export const teamReleaseInputSchema = z
  .object({ exceptionIds: teamItemsInput, reason: teamReasonInput })
  .strict();
export type TeamReleaseInput = z.output<typeof teamReleaseInputSchema>;
export const teamOperatorsSchema = z.object({ operators: z.array(teamMemberSchema) });
export type TeamOperators = z.infer<typeof teamOperatorsSchema>;

const listInput = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const channels = {
  'app.info': { input: noInput, output: appInfoSchema },
  'session.current': { input: noInput, output: sessionSchema.nullable() },
  'session.signIn': { input: signInInputSchema, output: sessionSchema },
  'session.signOut': { input: noInput, output: z.object({ signedOut: z.literal(true) }) },
  'queue.list': { input: queueQuerySchema, output: queuePageSchema },
  'queue.counts': { input: queueCountsQuerySchema, output: queueCountsSchema },
  /** The local copy at once; its evidence is null when not on this computer (see exception.evidence). */
  'exception.get': {
    input: z.object({ id: exceptionRecordSchema.shape.id }).strict(),
    output: localExceptionSchema,
  },
  /** The evidence rows: the local copy, else fetched from the server (online) and kept. */
  'exception.evidence': {
    input: z.object({ id: exceptionRecordSchema.shape.id }).strict(),
    output: z.object({ evidence: z.array(evidenceSchema) }),
  },
  'sync.status': { input: noInput, output: syncStatusSchema },
  'sync.now': { input: noInput, output: syncStatusSchema },
  'sync.outbox': { input: listInput, output: outboxListSchema },
  'sync.conflicts': { input: listInput, output: conflictListSchema },
  /** Puts outbox entries in `failed` back in line; rejected ones stay (the server decided them). */
  'sync.retryFailed': { input: noInput, output: z.object({ retried: z.number().int().min(0) }) },
  'work.next': { input: workNextInputSchema, output: workNextOutputSchema },
  'work.leases': { input: noInput, output: workLeasesSchema },
  'work.settings': { input: noInput, output: workSettingsSchema },
  'work.updateSettings': { input: workSettingsSchema.strict(), output: workSettingsSchema },
  'exception.start': {
    input: z.object({ exceptionId: exceptionIdInput }).strict(),
    output: operatorActionResultSchema,
  },
  'exception.resolve': {
    input: z.object({ exceptionId: exceptionIdInput, resolution: resolutionSchema }).strict(),
    output: operatorActionResultSchema,
  },
  'exception.skip': {
    input: z
      .object({
        exceptionId: exceptionIdInput,
        reason: skipReasonSchema,
      })
      .strict(),
    output: operatorActionResultSchema,
  },
  /** Other exceptions of the same partner account, newest first. */
  'exception.related': {
    input: z
      .object({ exceptionId: exceptionIdInput, limit: z.number().int().min(1).max(100).default(20) })
      .strict(),
    output: z.object({ rows: z.array(exceptionSummarySchema) }),
  },
  /**
   * An item's note thread, oldest first: the notes kept on this computer at once, refreshed from
   * the server when it answers (and kept, so they show offline after). `offline`: the server
   * could not be reached, so notes other people added since the last refresh are not shown.
   */
  'exception.notes': {
    input: z.object({ exceptionId: exceptionIdInput }).strict(),
    output: z.object({
      notes: z.array(
        noteSchema.extend({
          delivery: z.enum(['sent', 'sending', 'refused']),
          problem: z.string().nullable(),
        }),
      ),
      offline: z.boolean(),
    }),
  },
  /** A note on an item: in its thread here at once, and queued for the server like every operator change. */
  'exception.addNote': {
    input: z.object({ exceptionId: exceptionIdInput, text: noteTextSchema }).strict(),
    output: z.object({ mutationId: z.uuid() }),
  },
  'checklist.get': {
    input: z.object({ exceptionId: exceptionIdInput }).strict(),
    output: checklistViewSchema,
  },
  /** A synced SOP module version (labels for answers a lead or reviewer reads); null if not on this computer. */
  'sop.get': {
    input: sopRefSchema,
    output: z.object({ module: sopModuleSchema.nullable() }),
  },
  /** Autosave: called on every answer change; written in one SQLite transaction before it returns. */
  'checklist.save': { input: checklistSaveInputSchema, output: checklistDraftSchema },
  /**
   * Keeps a file on this computer (checked: size, type by content) and answers the reference to
   * put in a file answer; works offline. The file uploads with the result that names it.
   */
  'evidence.attach': { input: evidenceAttachInputSchema, output: attachmentRefSchema },
  /** An attached file from this computer's store, to view or save (offline too). */
  'evidence.read': { input: evidenceReadInputSchema, output: evidenceFileSchema },
  /** Leads, online only: resolutions waiting above their SOP threshold. */
  'approvals.list': { input: approvalsQuerySchema, output: approvalsResponseSchema },
  'approvals.decide': {
    input: z.object({ id: approvalIdParamsSchema.shape.id }).and(approvalDecisionSchema),
    output: approvalDecisionResponseSchema,
  },
  /** Leads, online only: what happened to one exception (skips, reassigns, releases and why). */
  'exception.history': {
    input: z.object({ id: exceptionIdInput, limit: z.number().int().min(1).max(100).default(20) }).strict(),
    output: exceptionHistorySchema,
  },
  /** Leads, online only: operators and the exception types each may be allocated. */
  'team.operators': { input: noInput, output: teamOperatorsSchema },
  /** Leads, online only: lease each item to one operator; answered per item. */
  'team.reassign': { input: teamReassignInputSchema, output: teamResultsSchema },
  /** Leads, online only: put each item back in the queue; answered per item. */
  'team.release': { input: teamReleaseInputSchema, output: teamResultsSchema },
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
  /** The local leases changed: prefetched, renewed, lost, or finished here. Read `work.leases`. */
  'work.changed': z.object({
    reason: z.enum(['prefetched', 'renewed', 'lost', 'local_change', 'signed_out']),
  }),
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
