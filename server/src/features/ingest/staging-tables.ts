import type { RecordKind } from '@shared/ingest/format-spec';

type SqlType = 'text' | 'numeric' | 'date' | 'timestamptz';

export interface StagingTable {
  table: string;
  /** The kind's own columns (besides batch_id, row_number, format, raw), with their SQL types. */
  columns: ReadonlyArray<readonly [string, SqlType]>;
}

/** Migration 0011's staging tables, one per canonical record kind. */
export const STAGING_TABLES: Readonly<Record<RecordKind, StagingTable>> = {
  billed_line: {
    table: 'ingest_billed_lines',
    columns: [
      ['source_ref', 'text'],
      ['partner_account', 'text'],
      ['customer_ref', 'text'],
      ['product', 'text'],
      ['offer_id', 'text'],
      ['invoice_ref', 'text'],
      ['period_start', 'date'],
      ['quantity', 'numeric'],
      ['unit_price', 'numeric'],
      ['currency', 'text'],
      ['gross', 'numeric'],
      ['fee', 'numeric'],
      ['tax', 'numeric'],
      ['refund', 'numeric'],
      ['net', 'numeric'],
      ['stated_total', 'numeric'],
    ],
  },
  billing_event: {
    table: 'ingest_billing_events',
    columns: [
      ['billing_event_id', 'text'],
      ['update_date', 'timestamptz'],
      ['action', 'text'],
      ['transaction_type', 'text'],
      ['parent_billing_event_id', 'text'],
      ['disbursement_billing_event_id', 'text'],
      ['partner_account', 'text'],
      ['product', 'text'],
      ['amount', 'numeric'],
      ['currency', 'text'],
      ['invoice_id', 'text'],
      ['invoice_date', 'timestamptz'],
      ['transaction_reference_id', 'text'],
      ['bank_trace_id', 'text'],
    ],
  },
  usage_line: {
    table: 'ingest_usage_lines',
    columns: [
      ['source_ref', 'text'],
      ['partner_account', 'text'],
      ['product', 'text'],
      ['dimension', 'text'],
      ['event_start', 'timestamptz'],
      ['event_end', 'timestamptz'],
      ['quantity', 'numeric'],
      ['status', 'text'],
    ],
  },
  payout: {
    table: 'ingest_payouts',
    columns: [
      ['payout_ref', 'text'],
      ['source_ref', 'text'],
      ['payout_date', 'date'],
      ['currency', 'text'],
      ['gross', 'numeric'],
      ['fee', 'numeric'],
      ['net', 'numeric'],
      ['disbursed', 'numeric'],
      ['status', 'text'],
    ],
  },
  rate_card: {
    table: 'ingest_rate_cards',
    columns: [
      ['contract_id', 'text'],
      ['customer_ref', 'text'],
      ['product', 'text'],
      ['dimension', 'text'],
      ['unit_price', 'numeric'],
      ['currency', 'text'],
      ['effective_from', 'date'],
      ['effective_to', 'date'],
      ['rounding_mode', 'text'],
      ['total_rule', 'text'],
    ],
  },
  bank_line: {
    table: 'ingest_bank_lines',
    columns: [
      ['account', 'text'],
      ['booking_date', 'date'],
      ['value_date', 'date'],
      ['reference', 'text'],
      ['counterparty', 'text'],
      ['description', 'text'],
      ['currency', 'text'],
      ['amount', 'numeric'],
    ],
  },
};
