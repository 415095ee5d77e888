import { z } from 'zod';
import { sopExerciseSchema, sopManifestSchema, sopStepFrontMatterSchema } from './module';

/**
 * JSON Schemas of the three SOP file kinds, generated from the zod schemas so editors can
 * validate and complete a module as it is written. Conditions are checked by the engine's own
 * checker, so the schema only says "a JSON Logic expression" for them.
 */
const options = {
  target: 'draft-2020-12',
  unrepresentable: 'any',
  io: 'input',
  override: (ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }) => {
    if ((ctx.zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def?.type === 'custom') {
      ctx.jsonSchema.description = 'A condition as JSON Logic data: {"==": [{"var": "answers.x"}, "y"]}';
    }
  },
} as const;

export const SOP_JSON_SCHEMAS = {
  'module.schema.json': () => z.toJSONSchema(sopManifestSchema, options),
  'step.schema.json': () => z.toJSONSchema(sopStepFrontMatterSchema, options),
  'exercise.schema.json': () => z.toJSONSchema(sopExerciseSchema, options),
} as const;
