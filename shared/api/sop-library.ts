import { z } from 'zod';
import { exceptionTypeSchema } from '../exception-types';
import { resolutionActionSchema, resolutionCodeSchema } from '../resolution';
import { answersSchema, sopModuleSchema } from '../sop/module';
import { storableText } from '../text';

const slug = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'expected a module id such as "rate-mismatch"');
const semver = z.string().regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}$/, 'expected a semantic version such as "1.2.0"');

/** POST /api/sops/uploads: the body is the file itself (a .zip, an .xlsx, or one module file). */
export const sopUploadQuerySchema = z
  .object({
    /** The file's name as the trainer picked it (messages name it). */
    name: storableText(255, { min: 1 }),
    /** One file on its own: where it goes (module.yaml, steps/<id>.md, exercises/<id>.yaml). */
    path: storableText(200).optional(),
    /** One step or exercise file on its own: the module it belongs to. */
    module: slug.optional(),
  })
  .strict();

export const sopVersionSummarySchema = z.object({
  moduleId: z.string(),
  version: z.string(),
  title: z.string(),
  appliesTo: z.array(exceptionTypeSchema),
  state: z.enum(['draft', 'published', 'retired']),
});
export type SopVersionSummary = z.infer<typeof sopVersionSummarySchema>;

export const sopUploadResponseSchema = z.object({
  draft: sopVersionSummarySchema,
  kind: z.enum(['zip', 'xlsx', 'file']),
  /** What an operator will notice against the newest published version (empty: wording only, or new). */
  changes: z.array(z.string()),
});

export const sopVersionParamsSchema = z.object({ module: slug, version: semver });
export const sopModuleParamsSchema = z.object({ module: slug });

export const sopRetireRequestSchema = z
  .object({ reason: storableText(500, { min: 1, trim: true }) })
  .strict();
export const sopVersionResponseSchema = z.object({ version: sopVersionSummarySchema });

/** GET /api/sops/:module/versions/:version: one version whole (a draft too), for a trainer's preview. */
export const sopVersionContentResponseSchema = z.object({
  state: sopVersionSummarySchema.shape.state,
  module: sopModuleSchema,
});

export const sopDiffQuerySchema = z.object({ from: semver, to: semver }).strict();
const diffRowSchema = z.object({
  key: z.string(),
  change: z.enum(['added', 'removed', 'changed', 'same']),
  from: z.unknown(),
  to: z.unknown(),
});
export const sopDiffResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  steps: z.array(diffRowSchema),
  fields: z.array(diffRowSchema),
  conditions: z.array(diffRowSchema),
  codes: z.array(diffRowSchema),
  thresholds: z.array(diffRowSchema),
  passMark: z.array(diffRowSchema),
});

export const sopTemplateQuerySchema = z.object({ module: slug.optional() }).strict();

export const sopLibraryResponseSchema = z.object({ versions: z.array(sopVersionSummarySchema) });

/** POST /api/practice/:module/attempts: the operator's answers to the module's exercises. */
export const practiceAttemptRequestSchema = z
  .object({
    /** Default: the module's current version. */
    version: semver.optional(),
    exercises: z
      .array(
        z
          .object({
            exerciseId: slug,
            answers: answersSchema,
            resolution: z.object({ code: resolutionCodeSchema, action: resolutionActionSchema }).strict(),
          })
          .strict(),
      )
      .max(50),
  })
  .strict();
export type PracticeAttemptRequest = z.infer<typeof practiceAttemptRequestSchema>;

export const practiceAttemptResponseSchema = z.object({
  moduleId: z.string(),
  version: z.string(),
  scorePercent: z.number().int(),
  passMarkPercent: z.number().int(),
  passed: z.boolean(),
  /** Passed now on this major version (a first pass certifies; a later one changes nothing). */
  certified: z.boolean(),
  exercises: z.array(
    z.object({
      exerciseId: z.string(),
      title: z.string(),
      points: z.number().int(),
      outOf: z.number().int(),
      steps: z.array(
        z.object({
          stepId: z.string(),
          title: z.string(),
          correct: z.boolean(),
          messages: z.array(z.string()),
        }),
      ),
      resolution: z.object({ correct: z.boolean(), message: z.string() }),
    }),
  ),
});

/** GET /api/certifications/matrix: operator x module, and who is due for re-certification. */
export const certificationMatrixResponseSchema = z.object({
  modules: z.array(
    z.object({ id: z.string(), title: z.string(), version: z.string(), major: z.number().int() }),
  ),
  operators: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      team: z.string().nullable(),
      cells: z.array(
        z.object({
          moduleId: z.string(),
          /** certified: on the current major; due: only on an older major; none: never. */
          status: z.enum(['certified', 'due', 'none']),
          major: z.number().int().nullable(),
          scorePercent: z.number().int().nullable(),
          certifiedAt: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type CertificationMatrix = z.infer<typeof certificationMatrixResponseSchema>;
