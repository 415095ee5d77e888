import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';
import { exceptionTypeSchema } from '../exception-types';
import { currencySchema, decimalStringSchema } from '../money';
import { resolutionActionSchema, resolutionCodeSchema } from '../resolution';
import { storableText } from '../text';
import { checkCondition, type Condition } from './condition';
import { SHA256_PATTERN } from '../evidence/file-type';

/**
 * The SOP module format. A module is a folder in `sops/`:
 *   module.yaml            the manifest (this file's `sopManifestSchema`)
 *   steps/<step-id>.md     one per step: YAML front matter (`sopStepFrontMatterSchema`) + Markdown body
 *   exercises/<id>.yaml    practice exercises (`sopExerciseSchema`)
 * `parse.ts` reads the files into one `SopModule`; `engine.ts` runs it. A published version is
 * immutable: a changed module gets a new semver version, and a checklist run records the
 * version it followed.
 */

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, 'expected a lower-case id such as "check-window" (letters, digits, -)');
const semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a semantic version such as "1.2.0"');

export const conditionSchema = z.custom<Condition>().superRefine((value, ctx) => {
  // A YAML `when:` with nothing after it reads as null, which is never true: the step would
  // silently never show.
  if (value === null || value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'empty condition: write one, or leave "when" out' });
    return;
  }
  for (const issue of checkCondition(value)) {
    ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
  }
});

const fieldBase = {
  id: slug,
  label: z.string().min(1).max(200),
  help: z.string().max(1000).optional(),
  required: z.boolean().default(true),
};

const optionSchema = z.object({ value: slug, label: z.string().min(1).max(200) }).strict();

/** A date bound: an ISO date, or a date of the context the engine knows. */
export const dateBoundSchema = z.union([z.iso.date(), z.enum(['today', 'periodStart', 'periodEnd'])]);

export const sopFieldSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...fieldBase,
      type: z.literal('text'),
      minLength: z.number().int().min(0).max(4000).optional(),
      maxLength: z.number().int().min(1).max(4000).default(2000),
      /** A regular expression the whole answer must match, and what to tell the operator if not. */
      pattern: z
        .string()
        .max(200)
        .refine((p) => {
          try {
            new RegExp(p);
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression')
        .optional(),
      patternHint: z.string().max(200).optional(),
    })
    .strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('number'),
      min: decimalStringSchema.optional(),
      max: decimalStringSchema.optional(),
      integer: z.boolean().default(false),
      unit: z.string().max(40).optional(),
    })
    .strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('money'),
      min: decimalStringSchema.optional(),
      max: decimalStringSchema.optional(),
      /** Which currency the amount must be in: the exception's variance currency, or a fixed one. */
      currency: z.union([z.literal('variance'), currencySchema]).default('variance'),
    })
    .strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('date'),
      min: dateBoundSchema.optional(),
      max: dateBoundSchema.optional(),
    })
    .strict(),
  z
    .object({ ...fieldBase, type: z.literal('select'), options: z.array(optionSchema).min(2).max(30) })
    .strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('multiselect'),
      options: z.array(optionSchema).min(2).max(30),
      minItems: z.number().int().min(0).max(30).optional(),
      maxItems: z.number().int().min(1).max(30).optional(),
    })
    .strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('file'),
      /** MIME types the attachment may have. */
      accept: z
        .array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/))
        .min(1)
        .max(20),
      maxBytes: z
        .number()
        .int()
        .min(1)
        .max(25 * 1024 * 1024),
      maxFiles: z.number().int().min(1).max(10).default(1),
    })
    .strict(),
]);
export type SopField = z.infer<typeof sopFieldSchema>;
export type SopFieldType = SopField['type'];

export const rubricItemSchema = z
  .object({
    id: slug,
    text: z.string().min(1).max(500),
    /** A critical miss fails the whole QA review, whatever the score. */
    critical: z.boolean().default(false),
  })
  .strict();
export type RubricItem = z.infer<typeof rubricItemSchema>;

export const SOP_STEP_KINDS = ['check', 'input', 'decision', 'action'] as const;
export const sopStepKindSchema = z.enum(SOP_STEP_KINDS);
export type SopStepKind = z.infer<typeof sopStepKindSchema>;

/** The front matter of `steps/<id>.md`; the Markdown after it is the step's body. */
export const sopStepFrontMatterSchema = z
  .object({
    title: z.string().min(1).max(200),
    /**
     * check: confirm something was verified; input: record values; decision: choose a path
     * (a select field later steps' conditions read); action: do something outside and confirm.
     */
    kind: sopStepKindSchema,
    /** check and action steps: the words on the confirmation the operator ticks. */
    confirm: z.string().min(1).max(200).optional(),
    fields: z.array(sopFieldSchema).max(20).default([]),
    /** Shown only when this holds over the exception and earlier answers. */
    when: conditionSchema.optional(),
    required: z.boolean().default(true),
    rubric: z.array(rubricItemSchema).max(10).default([]),
  })
  .strict();

export const sopStepSchema = sopStepFrontMatterSchema.extend({ id: slug, body: z.string().max(20_000) });
export type SopStep = z.infer<typeof sopStepSchema>;

export const sopResolutionRuleSchema = z
  .object({
    code: resolutionCodeSchema,
    actions: z.array(resolutionActionSchema).min(1),
    /** Offered only when this holds over the exception and the answers. */
    when: conditionSchema.optional(),
  })
  .strict();
export type SopResolutionRule = z.infer<typeof sopResolutionRuleSchema>;

export const sopApprovalRuleSchema = z
  .object({
    action: resolutionActionSchema,
    /**
     * A lead must approve when the resolution's amount (absolute) is above the threshold in its
     * currency. A currency not listed always needs approval: no silent cross-currency guess.
     */
    above: z.partialRecord(currencySchema, decimalStringSchema),
  })
  .strict();
export type SopApprovalRule = z.infer<typeof sopApprovalRuleSchema>;

export const sopManifestSchema = z
  .object({
    id: slug,
    version: semver,
    title: z.string().min(1).max(200),
    summary: z.string().min(1).max(2000),
    appliesTo: z.array(exceptionTypeSchema).min(1),
    /** Step ids in order; each is `steps/<id>.md`. */
    steps: z.array(slug).min(1).max(40),
    resolutions: z.array(sopResolutionRuleSchema).min(1),
    approvals: z.array(sopApprovalRuleSchema).default([]),
    certification: z
      .object({
        /** Share of exercise answers an operator must get right, in percent. */
        passMarkPercent: z.number().int().min(1).max(100),
      })
      .strict()
      .optional(),
    /** Exercise ids; each is `exercises/<id>.yaml`. */
    exercises: z.array(slug).default([]),
  })
  .strict();
export type SopManifest = z.infer<typeof sopManifestSchema>;

/** A stored answer. Numbers are decimal strings so a threshold compares exactly. */
export const attachmentRefSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: storableText(255, { min: 1 }),
    type: z.string().min(1).max(100),
    size: z.number().int().min(0),
    /**
     * The file itself: its SHA-256 in the desktop's evidence store, uploaded before the result
     * that names it. The server refuses a result naming a file it was not given. Absent only in
     * drafts written before files were kept (metadata alone).
     */
    sha256: z.string().regex(SHA256_PATTERN).optional(),
  })
  .strict();
export type AttachmentRef = z.infer<typeof attachmentRefSchema>;

export const answerValueSchema = z.union([
  z.boolean(),
  storableText(4000),
  z.array(storableText(200)).max(30),
  z.object({ amount: decimalStringSchema, currency: currencySchema }).strict(),
  z.array(attachmentRefSchema).max(10),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;
export const answersSchema = z.record(slug, answerValueSchema);
export type Answers = z.infer<typeof answersSchema>;

/** A practice exercise: an exception, the answers a trained operator gives, and the resolution. */
export const sopExerciseSchema = z
  .object({
    title: z.string().min(1).max(200),
    exception: exceptionRecordSchema.omit({ evidence: true }).extend({
      evidence: exceptionRecordSchema.shape.evidence.default([]),
    }),
    expected: z
      .object({
        answers: answersSchema,
        resolution: z.object({ code: resolutionCodeSchema, action: resolutionActionSchema }).strict(),
      })
      .strict(),
  })
  .strict();
export type SopExercise = z.infer<typeof sopExerciseSchema>;

/**
 * A whole module as the engine, the server's registry and the desktop's cache hold it (and as
 * it travels over HTTP): the manifest with its steps and exercises read in.
 */
export const sopModuleSchema = sopManifestSchema.extend({
  stepList: z.array(sopStepSchema).min(1).max(40),
  exerciseList: z.array(sopExerciseSchema.extend({ id: slug })).max(50),
});
export type SopModule = z.infer<typeof sopModuleSchema>;

/** The published identity a checklist run records. */
export const sopRefSchema = z.object({ moduleId: slug, version: semver }).strict();
export type SopRef = z.infer<typeof sopRefSchema>;
