import { z } from 'zod';
import { CURRENCIES } from '../money';
import { ROUNDING_MODES, TOTAL_RULES } from '../ingest/precision';

/**
 * The matching rules as data (issue 13): tolerances per currency, what a partner's metering
 * statuses mean, the late-metering window and SLA per partner, the listing-fee schedule, and how
 * an amount sets an exception's priority. The engine (server/src/features/recon/) turns them
 * into SQL parameters; nothing here is a constant of the code.
 */

const decimalText = z
  .string()
  .regex(/^\d{1,20}(\.\d{1,10})?$/, 'expected a non-negative decimal such as "0.01"');

/**
 * Within tolerance means |variance| <= absolute OR |variance| <= relative x |expected|.
 * `relative` is a fraction ("0.001" = 0.1%).
 */
export const toleranceSchema = z.object({ absolute: decimalText, relative: decimalText }).strict();

export const MATCH_CARDINALITIES = ['one_to_one', 'one_to_many', 'many_to_one', 'many_to_many'] as const;

/** Exception types a partner metering status raises (absent = the record was accepted). */
export const METERING_STATUS_TYPES = ['metering_rejected', 'duplicate_metering', 'late_metering'] as const;

export const partnerRulesSchema = z
  .object({
    /** Statuses that mean the partner accepted the usage record. */
    acceptedStatuses: z.array(z.string().min(1).max(64)).min(1),
    /** Every other status and the exception it raises. */
    statusTypes: z.record(z.string().min(1).max(64), z.enum(METERING_STATUS_TYPES)),
    /** How long after the event the partner still takes a usage record (AWS 6 h, Azure 24 h, GCP 1 h). */
    lateWindowHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 31),
    /** How long a person has to work an exception from this partner once opened. */
    slaHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    /**
     * Listing fee as a fraction of the billed amount, by the report's offer visibility ('' = not
     * stated). Absent: the partner's fee is not checked.
     */
    listingFee: z.record(z.string().max(32), decimalText).optional(),
    /** How usage lines pair up: aggregated per customer, SKU and dimension over the period. */
    usageCardinality: z.enum(MATCH_CARDINALITIES),
  })
  .strict();
export type PartnerRules = z.infer<typeof partnerRulesSchema>;

/** Priority 1 at or above the first threshold, 2 at or above the second, ... 5 below the last. */
const priorityThresholds = z.tuple([decimalText, decimalText, decimalText, decimalText]);

export const reconRulesSchema = z
  .object({
    version: z.string().min(1).max(32),
    tolerance: z.record(z.enum(CURRENCIES), toleranceSchema),
    /** Rounding of settled amounts (listing fees, variances) when no contract names one. */
    defaultRounding: z.enum(ROUNDING_MODES),
    /** How an invoice's total follows from its lines when no contract names a rule. */
    defaultTotalRule: z.enum(TOTAL_RULES),
    partners: z
      .object({ aws: partnerRulesSchema, azure: partnerRulesSchema, gcp: partnerRulesSchema })
      .strict(),
    priority: z.record(z.enum(CURRENCIES), priorityThresholds),
    /** A suggested payout-to-bank match: same amount and currency within this many days. */
    suggestionWindowDays: z.number().int().min(0).max(60),
  })
  .strict();
export type ReconRules = z.infer<typeof reconRulesSchema>;

const USUAL_TOLERANCE = { absolute: '0.01', relative: '0' } as const;

/** DOMAIN.md's figures. Listing fees: AWS public 3%, private under $1M TCV 3%; Azure store 3%. */
export const DEFAULT_RECON_RULES: ReconRules = reconRulesSchema.parse({
  version: '2026-12-1',
  tolerance: {
    USD: USUAL_TOLERANCE,
    EUR: USUAL_TOLERANCE,
    GBP: USUAL_TOLERANCE,
    AUD: USUAL_TOLERANCE,
    CAD: USUAL_TOLERANCE,
    INR: { absolute: '1', relative: '0' },
    JPY: { absolute: '1', relative: '0' },
  },
  defaultRounding: 'half_up',
  defaultTotalRule: 'round_sum',
  partners: {
    aws: {
      acceptedStatuses: ['Success'],
      statusTypes: { CustomerNotSubscribed: 'metering_rejected', DuplicateRecord: 'duplicate_metering' },
      lateWindowHours: 6,
      slaHours: 72,
      listingFee: { Public: '0.03', Private: '0.03', '': '0.03' },
      usageCardinality: 'many_to_many',
    },
    azure: {
      acceptedStatuses: ['Accepted'],
      statusTypes: {
        Expired: 'late_metering',
        Duplicate: 'duplicate_metering',
        Error: 'metering_rejected',
        ResourceNotFound: 'metering_rejected',
        InvalidDimension: 'metering_rejected',
        InvalidQuantity: 'metering_rejected',
      },
      lateWindowHours: 24,
      slaHours: 72,
      usageCardinality: 'many_to_many',
    },
    gcp: {
      acceptedStatuses: ['Accepted'],
      statusTypes: {},
      lateWindowHours: 1,
      slaHours: 120,
      usageCardinality: 'many_to_many',
    },
  },
  priority: {
    USD: ['10000', '1000', '100', '10'],
    EUR: ['10000', '1000', '100', '10'],
    GBP: ['10000', '1000', '100', '10'],
    AUD: ['15000', '1500', '150', '15'],
    CAD: ['15000', '1500', '150', '15'],
    INR: ['800000', '80000', '8000', '800'],
    JPY: ['1500000', '150000', '15000', '1500'],
  },
  suggestionWindowDays: 5,
});
