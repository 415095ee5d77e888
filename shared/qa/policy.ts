import { z } from 'zod';
import { currencySchema, decimalStringSchema, moneySchema } from '../money';
import { AQLS, INSPECTION_LEVELS } from './aql-tables';
import { INSPECTION_STATES } from './switching';

/**
 * A sampling policy is data: who gets 100%, what counts as risky, and how the rest is sampled,
 * per SOP module and operator tier. It is recorded with every draw.
 */

const percentSchema = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,4})?$/, 'expected a percentage such as "95" or "12.5"')
  .refine((v) => Number(v) <= 100, 'at most 100');

export const OPERATOR_TIERS = ['standard', 'mature'] as const;
export const operatorTierSchema = z.enum(OPERATOR_TIERS);
export type OperatorTier = z.infer<typeof operatorTierSchema>;

export const STRATA = ['operator', 'type', 'partner'] as const;
export const stratumFieldSchema = z.enum(STRATA);
export type StratumField = z.infer<typeof stratumFieldSchema>;

export const samplingMethodSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('stratified'),
      /** Share of each stratum sampled, rounded up. */
      ratePercent: percentSchema,
      strata: z.array(stratumFieldSchema).min(1).max(3),
      minPerStratum: z.number().int().min(0).max(1000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('lot'),
      aql: z.enum(AQLS),
      level: z.enum(INSPECTION_LEVELS),
    })
    .strict(),
]);
export type SamplingMethod = z.infer<typeof samplingMethodSchema>;

export const samplingRuleSchema = z
  .object({
    /** A module id, or "*" for every module without its own rule. */
    sopModuleId: z.string().min(1).max(100),
    tier: operatorTierSchema,
    method: samplingMethodSchema,
  })
  .strict();
export type SamplingRule = z.infer<typeof samplingRuleSchema>;

export const samplingPolicySchema = z
  .object({
    id: z.string().min(1).max(100),
    /** An operator stays in nesting (100% reviewed) until N reviewed items at >= X% accuracy. */
    graduation: z
      .object({ minItems: z.number().int().min(1).max(100000), minAccuracyPercent: percentSchema })
      .strict(),
    risk: z
      .object({
        /** Items whose absolute variance reaches the amount for their currency: 100%. */
        varianceAtLeast: z.partialRecord(currencySchema, decimalStringSchema),
        writeOffs: z.boolean(),
        escalations: z.boolean(),
      })
      .strict(),
    rules: z.array(samplingRuleSchema).min(1).max(500),
  })
  .strict();
export type SamplingPolicy = z.infer<typeof samplingPolicySchema>;

/** One completed item that may be sampled. */
export const drawItemSchema = z
  .object({
    id: z.string().min(1).max(100),
    operatorId: z.string().min(1).max(100),
    exceptionType: z.string().min(1).max(100),
    partner: z.string().min(1).max(100),
    sopModuleId: z.string().min(1).max(100),
    variance: moneySchema,
    writeOff: z.boolean(),
    escalated: z.boolean(),
  })
  .strict();
export type DrawItem = z.infer<typeof drawItemSchema>;

/** What the draw needs to know about an operator: their tier and QA record so far. */
export const operatorStandingSchema = z
  .object({
    operatorId: z.string().min(1).max(100),
    tier: operatorTierSchema,
    reviewedItems: z.number().int().min(0),
    accurateItems: z.number().int().min(0),
  })
  .strict()
  .refine((o) => o.accurateItems <= o.reviewedItems, {
    message: 'accurateItems cannot exceed reviewedItems',
    path: ['accurateItems'],
  });
export type OperatorStanding = z.infer<typeof operatorStandingSchema>;

/** Everything a draw depends on besides the seed. Recorded as is, so a re-run is exact. */
export const drawInputSchema = z
  .object({
    policy: samplingPolicySchema,
    population: z.array(drawItemSchema).max(100000),
    operators: z.array(operatorStandingSchema).max(10000),
    /** Inspection state per lot stream ("operatorId|sopModuleId"); absent = normal. */
    inspection: z.record(z.string().min(3).max(201), z.enum(INSPECTION_STATES)),
  })
  .strict();
export type DrawInput = z.infer<typeof drawInputSchema>;
