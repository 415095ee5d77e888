import type { EvidenceSource } from '../exception';

/** Which evidence source each import format's rows are, as the exception record names them. */
export const FORMAT_EVIDENCE_SOURCE: Readonly<Record<string, EvidenceSource>> = {
  'aws-billed-revenue': 'aws_billed_revenue',
  'aws-disbursement': 'aws_disbursement',
  'aws-billing-events': 'aws_billing_event',
  'aws-metering': 'aws_meter_usage',
  'azure-earnings': 'azure_earnings',
  'azure-payments': 'azure_payment',
  'azure-metered-usage': 'azure_metered_usage',
  'gcp-charges-usage': 'gcp_charges_usage',
  'gcp-disbursements': 'gcp_disbursement',
  'internal-usage': 'internal_usage',
  'internal-invoices': 'internal_invoice',
  'rate-cards': 'crm_contract',
  'bank-statement': 'bank_statement',
};
