import { z } from 'zod';

/** The exception types of the billing domain (../shared/DOMAIN.md); each has its own SOP module. */
export const EXCEPTION_TYPES = [
  'usage_mismatch',
  'metering_rejected',
  'duplicate_metering',
  'late_metering',
  'rate_mismatch',
  'discount_not_applied',
  'listing_fee_mismatch',
  'credit_not_applied',
  'short_payment',
  'disbursement_variance',
  'refund_unmatched',
  'fx_variance',
  'tax_variance',
  'unmapped_account',
  'unmapped_sku',
  'missing_invoice',
] as const;

export const exceptionTypeSchema = z.enum(EXCEPTION_TYPES);
export type ExceptionType = z.infer<typeof exceptionTypeSchema>;

export const EXCEPTION_TYPE_LABELS: Readonly<Record<ExceptionType, string>> = {
  usage_mismatch: 'Usage mismatch',
  metering_rejected: 'Metering rejected',
  duplicate_metering: 'Duplicate metering',
  late_metering: 'Late metering',
  rate_mismatch: 'Rate mismatch',
  discount_not_applied: 'Discount not applied',
  listing_fee_mismatch: 'Listing fee mismatch',
  credit_not_applied: 'Credit not applied',
  short_payment: 'Short payment',
  disbursement_variance: 'Disbursement variance',
  refund_unmatched: 'Refund unmatched',
  fx_variance: 'FX variance',
  tax_variance: 'Tax variance',
  unmapped_account: 'Unmapped account',
  unmapped_sku: 'Unmapped SKU',
  missing_invoice: 'Missing invoice',
};

/** Sales channels: three marketplaces, resellers, and direct contracts. */
export const CHANNELS = ['aws', 'azure', 'gcp', 'reseller', 'direct'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  aws: 'AWS Marketplace',
  azure: 'Azure Marketplace',
  gcp: 'Google Cloud Marketplace',
  reseller: 'Reseller',
  direct: 'Direct',
};
