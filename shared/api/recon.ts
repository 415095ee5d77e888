import { z } from 'zod';
import { storableText } from '../text';

/** The partner channels whose ids we map to our own customers and SKUs. */
export const MAPPED_CHANNELS = ['aws', 'azure', 'gcp'] as const;
const mappedChannel = z.enum(MAPPED_CHANNELS);

const id = (max: number) => storableText(max, { min: 1, trim: true, minMessage: 'must not be empty' });

/** PUT /api/recon/mappings/accounts: add or change one partner account -> customer mapping. */
export const accountMappingBodySchema = z
  .object({
    channel: mappedChannel,
    partnerAccount: id(64),
    customerId: id(64),
    customerName: id(200),
  })
  .strict();
export type AccountMappingBody = z.infer<typeof accountMappingBodySchema>;

/** PUT /api/recon/mappings/skus: add or change one partner product (and dimension) -> SKU mapping. */
export const skuMappingBodySchema = z
  .object({
    channel: mappedChannel,
    partnerProduct: id(64),
    /** Empty: every dimension of the product (a mapping naming the dimension wins). */
    partnerDimension: storableText(64, { trim: true }).default(''),
    sku: id(64),
  })
  .strict();
export type SkuMappingBody = z.infer<typeof skuMappingBodySchema>;

const changedBy = { updatedBy: z.string(), updatedAt: z.iso.datetime({ offset: true }) };

export const accountMappingSchema = accountMappingBodySchema.extend(changedBy);
export type AccountMapping = z.infer<typeof accountMappingSchema>;
export const skuMappingSchema = skuMappingBodySchema.extend({ partnerDimension: z.string(), ...changedBy });
export type SkuMapping = z.infer<typeof skuMappingSchema>;

export const accountMappingsResponseSchema = z.object({ mappings: z.array(accountMappingSchema) });
export const skuMappingsResponseSchema = z.object({ mappings: z.array(skuMappingSchema) });
export const accountMappingResponseSchema = z.object({ mapping: accountMappingSchema, created: z.boolean() });
export const skuMappingResponseSchema = z.object({ mapping: skuMappingSchema, created: z.boolean() });

/** A calendar month, the unit a reconciliation runs over. */
export const periodSchema = z
  .string()
  .regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/, 'expected a month such as "2026-03" (1900-2099)');

export const runReconBodySchema = z.object({ period: periodSchema }).strict();

/** What a run did: the CLI prints these, the API answers them. */
export const reconCountsSchema = z.object({
  matched: z.number().int(),
  suggested: z.number().int(),
  opened: z.number().int(),
  updated: z.number().int(),
  closed: z.number().int(),
  unchanged: z.number().int(),
  /** Discrepancies in a currency the exception record cannot carry yet (shared/money.ts). */
  skipped: z.number().int(),
});
export type ReconCounts = z.infer<typeof reconCountsSchema>;

export const reconRunSchema = reconCountsSchema.extend({
  id: z.string(),
  period: periodSchema,
  runBy: z.string(),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  rulesVersion: z.string(),
});
export type ReconRun = z.infer<typeof reconRunSchema>;

export const runReconResponseSchema = z.object({ run: reconRunSchema });

export const reconRunsResponseSchema = z.object({ runs: z.array(reconRunSchema) });
export const reconRunParamsSchema = z
  .object({ id: z.string().regex(/^[0-9]{1,18}$/, 'expected a run id') })
  .strict();

/** What a run did to one exception (from the run's audit rows). */
export const RECON_OUTCOMES = ['opened', 'updated', 'closed'] as const;
export const reconRunOutcomeSchema = z.object({
  exceptionId: z.string(),
  outcome: z.enum(RECON_OUTCOMES),
  type: z.string(),
  /** The exception's status now (a later run or a person may have moved it on). */
  status: z.string(),
  channel: z.string(),
  customerName: z.string().nullable(),
  partnerAccountId: z.string().nullable(),
  /** The variance the run wrote: an exact decimal in the currency's minor unit. */
  variance: z.string(),
  currency: z.string(),
  priority: z.number().int(),
});
export type ReconRunOutcome = z.infer<typeof reconRunOutcomeSchema>;

/** An ambiguous pairing the run found (nothing opened); a person confirms it. */
export const reconSuggestionSchema = z.object({
  reconKey: z.string(),
  kind: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type ReconSuggestion = z.infer<typeof reconSuggestionSchema>;

/** A comparison that agreed, exactly or within tolerance, and was cleared with no one touching it. */
export const reconMatchSchema = z.object({
  reconKey: z.string(),
  /** The exception type it would have become. */
  type: z.string(),
  channel: z.string(),
  customerName: z.string(),
  /** Exact decimals as compared (line precision), and actual - expected. */
  expected: z.string(),
  actual: z.string(),
  difference: z.string(),
  currency: z.string(),
  /** The source rows compared (`kind:batch:row`). */
  sources: z.number().int().min(0),
});
export type ReconMatch = z.infer<typeof reconMatchSchema>;

/** GET /api/recon/runs/{id}: the run, what it matched and what it did to exceptions, and its suggestions. */
export const reconRunDetailSchema = z.object({
  run: reconRunSchema,
  /** A sample of what matched (the run's `matched` is the exact count). */
  matched: z.array(reconMatchSchema),
  outcomes: z.array(reconRunOutcomeSchema),
  /** Outcomes beyond those listed (a first run over a big month opens thousands). */
  moreOutcomes: z.number().int().min(0),
  suggestions: z.array(reconSuggestionSchema),
});
export type ReconRunDetail = z.infer<typeof reconRunDetailSchema>;
