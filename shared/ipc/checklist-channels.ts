import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';
import { answersSchema, sopModuleSchema, sopRefSchema } from '../sop/module';
import { exceptionIdInput, type ChannelSpec } from './channel-spec';

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

/** The SOP checklist an operator fills in, autosaved here. */
export const checklistChannels = {
  'checklist.get': {
    input: z.object({ exceptionId: exceptionIdInput }).strict(),
    output: checklistViewSchema,
    access: 'session',
  },
  /** Autosave: called on every answer change; written in one SQLite transaction before it returns. */
  'checklist.save': { input: checklistSaveInputSchema, output: checklistDraftSchema, access: 'session' },
  /** A synced SOP module version (labels for answers a lead or reviewer reads); null if not on this computer. */
  'sop.get': {
    input: sopRefSchema,
    output: z.object({ module: sopModuleSchema.nullable() }),
    access: 'session',
  },
} as const satisfies Record<string, ChannelSpec>;
