import type { EvidenceSource } from '@shared/exception';
import type { QueueSort } from '@shared/ipc/channels';
import type { ResolutionAction } from '@shared/resolution';

export const EVIDENCE_SOURCE_LABELS: Readonly<Record<EvidenceSource, string>> = {
  internal_usage: 'Internal usage',
  internal_invoice: 'Internal invoice',
  crm_contract: 'CRM contract',
  bank_statement: 'Bank statement',
  aws_billed_revenue: 'AWS Monthly Billed Revenue report',
  aws_disbursement: 'AWS Disbursement report',
  aws_billing_event: 'AWS billing event feed',
  aws_meter_usage: 'AWS BatchMeterUsage',
  azure_earnings: 'Azure Partner Center earnings',
  azure_payment: 'Azure payment',
  azure_metered_usage: 'Azure metered usage',
  gcp_charges_usage: 'Google Cloud Charges & Usage',
  gcp_disbursement: 'Google Cloud Disbursements',
  reseller_statement: 'Reseller statement',
};

export const SORT_LABELS: Readonly<Record<QueueSort, string>> = {
  priority_sla: 'Priority, then SLA',
  sla_due: 'SLA due (soonest)',
  opened: 'Opened date',
  variance_desc: 'Variance (by currency, largest first)',
  updated: 'Last updated',
};

export const ACTION_LABELS: Readonly<Record<ResolutionAction, string>> = {
  remeter_request: 'Re-meter request',
  credit_memo_request: 'Credit memo request',
  rebill: 'Rebill',
  partner_dispute: 'Partner dispute',
  write_off: 'Write off',
  escalate: 'Escalate',
  pending_partner: 'Pending partner (follow up)',
  no_action: 'No action needed',
};
