import { z } from 'zod';
import { AQLS, CODE_LETTERS } from '../qa/aql-tables';
import { operatorStandingSchema, samplingPolicySchema } from '../qa/policy';
import { SEVERITIES } from '../qa/sampling-plan';
import { INSPECTION_STATES } from '../qa/switching';

/** POST /api/qa/draws: draw the QA sample of one day's completed items. */
export const runDrawBodySchema = z
  .object({
    /** The day (UTC) whose resolutions form the population. */
    lotDate: z.iso.date(),
    policy: samplingPolicySchema,
    /** Tier and QA record per operator; an operator not listed is treated as in nesting (100%). */
    operators: z.array(operatorStandingSchema).max(10000).default([]),
    /** Inspection state per lot stream ("operatorId|sopModuleId"); absent = normal. */
    inspection: z.record(z.string().min(3).max(201), z.enum(INSPECTION_STATES)).default({}),
  })
  .strict();
export type RunDrawBody = z.infer<typeof runDrawBodySchema>;

export const drawIdParamsSchema = z.object({ id: z.uuid() }).strict();

const samplingPlanSchema = z.object({
  codeLetter: z.enum(CODE_LETTERS),
  planLetter: z.enum([...CODE_LETTERS, 'S']),
  severity: z.enum(SEVERITIES),
  aql: z.enum(AQLS),
  sampleSize: z.number().int(),
  tableSampleSize: z.number().int(),
  acceptanceNumber: z.number().int(),
  rejectionNumber: z.number().int(),
  hundredPercent: z.boolean(),
});

export const SAMPLE_REASONS = [
  'nesting',
  'risk-variance',
  'risk-write-off',
  'risk-escalation',
  'stratified',
  'lot',
  'lot-discontinued',
] as const;

export const drawResultSchema = z.object({
  sampled: z.array(z.object({ id: z.string(), reason: z.enum(SAMPLE_REASONS) })),
  lots: z.array(
    z.object({
      stream: z.string(),
      lotSize: z.number().int(),
      state: z.enum(INSPECTION_STATES),
      aql: z.enum(AQLS),
      plan: samplingPlanSchema.nullable(),
      sampled: z.number().int(),
    }),
  ),
  strata: z.array(z.object({ key: z.string(), size: z.number().int(), sampled: z.number().int() })),
});

/** A recorded draw: what went in (by hash and size), the seed, and what came out. */
export const qaDrawSchema = z.object({
  id: z.uuid(),
  lotDate: z.iso.date(),
  seed: z.number().int().min(0).max(0xffffffff),
  policyId: z.string(),
  populationSize: z.number().int(),
  /** sha256 of the canonical JSON of the recorded input (policy, population, operators, states). */
  inputSha256: z.string().regex(/^[0-9a-f]{64}$/),
  drawnBy: z.string(),
  drawnAt: z.iso.datetime({ offset: true }),
  result: drawResultSchema,
});
export type QaDraw = z.infer<typeof qaDrawSchema>;

export const runDrawResponseSchema = z.object({ draw: qaDrawSchema });

export const getDrawResponseSchema = z.object({
  draw: qaDrawSchema,
  /** The recorded input re-drawn with the recorded seed gives the recorded result. */
  reproduced: z.boolean(),
});
