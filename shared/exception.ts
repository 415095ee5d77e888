import { z } from 'zod';
import { moneySchema } from './money';
import { channelSchema, exceptionTypeSchema } from './exception-types';
import { exceptionStatusSchema } from './exception-status';

const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/** Where a piece of evidence came from: the partner report or internal system that holds the row. */
export const EVIDENCE_SOURCES = [
  'internal_usage',
  'internal_invoice',
  'crm_contract',
  'bank_statement',
  'aws_billed_revenue',
  'aws_disbursement',
  'aws_billing_event',
  'aws_meter_usage',
  'azure_earnings',
  'azure_payment',
  'azure_metered_usage',
  'gcp_charges_usage',
  'gcp_disbursement',
  'reseller_statement',
] as const;
export const evidenceSourceSchema = z.enum(EVIDENCE_SOURCES);
export type EvidenceSource = z.infer<typeof evidenceSourceSchema>;

/** One source row behind an exception: the columns exactly as the partner or system named them. */
export const evidenceSchema = z.object({
  id: z.string().min(1).max(64),
  source: evidenceSourceSchema,
  /** The row's own key in its source (Transaction Reference ID, earningId, billing_event_id, ...). */
  reference: z.string().min(1).max(128),
  receivedAt: isoDateTime,
  fields: z.record(z.string(), z.string()),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** Priority 1 is the most urgent; allocation sorts by it, then by SLA. */
export const prioritySchema = z.number().int().min(1).max(5);
export type Priority = z.infer<typeof prioritySchema>;

/**
 * A billing exception: the canonical match keys of the domain, the expected / actual / variance
 * amounts (each with its currency), the evidence behind it, and where it is in its lifecycle.
 */
export const exceptionRecordSchema = z.object({
  id: z.string().regex(/^EX-[0-9A-Z]{4,}$/, 'expected an exception id such as "EX-000123"'),
  type: exceptionTypeSchema,
  status: exceptionStatusSchema,
  channel: channelSchema,
  /** AWS account, Azure tenant, GCP billing account, reseller id or direct customer account. */
  partnerAccountId: z.string().min(1).max(64),
  customerId: z.string().min(1).max(64),
  customerName: z.string().min(1).max(200),
  /** Agreement / entitlement / subscription id. */
  agreementId: z.string().min(1).max(64),
  offerId: z.string().max(64).nullable(),
  productCode: z.string().min(1).max(64),
  dimension: z.string().max(64).nullable(),
  periodStart: isoDate,
  periodEnd: isoDate,
  partnerInvoiceId: z.string().max(64).nullable(),
  payoutId: z.string().max(64).nullable(),
  expected: moneySchema,
  actual: moneySchema,
  variance: moneySchema,
  evidence: z.array(evidenceSchema).max(200),
  priority: prioritySchema,
  slaDueAt: isoDateTime,
  openedAt: isoDateTime,
  updatedAt: isoDateTime,
  assigneeId: z.string().max(64).nullable(),
  /** Bumped on every server-side change; clients use it to spot stale writes. */
  version: z.number().int().min(1),
});
export type ExceptionRecord = z.infer<typeof exceptionRecordSchema>;

/**
 * The exception without its evidence rows: the queue grid's row, and what the change feed sends.
 * Evidence is most of a record's bytes and only an opened item shows it, so it travels with
 * leases (an operator's offline work) and is fetched when an item is opened, not with every
 * change.
 */
export const exceptionSummarySchema = exceptionRecordSchema.omit({ evidence: true });
export type ExceptionSummary = z.infer<typeof exceptionSummarySchema>;

/**
 * An exception as this computer holds it: evidence is null when it has not been fetched here (a
 * queue item that was never leased to this operator nor opened while online).
 */
export const localExceptionSchema = exceptionSummarySchema.extend({
  evidence: exceptionRecordSchema.shape.evidence.nullable(),
});
export type LocalException = z.infer<typeof localExceptionSchema>;
