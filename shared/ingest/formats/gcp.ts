import { amount, currency, date, datetime, decimal, type FormatSpec, type Row, text } from '../format-spec';

const v = (row: Row, header: string): string | null => row[header] ?? null;

/**
 * Google Cloud Marketplace Charges & Usage report. DOMAIN.md does not list its columns; these
 * are the report's usage-line fields as we receive them (assumed; adjust with a real sample).
 */
export const gcpChargesUsage: FormatSpec = {
  name: 'gcp-charges-usage',
  title: 'Google Cloud Marketplace Charges & Usage',
  channel: 'gcp',
  kind: 'billed_line',
  currencyColumn: 'Currency',
  columns: [
    text('Billing Account ID'),
    text('Usage Reporting ID', { optionalHeader: true }),
    text('Product'),
    text('Plan', { allowBlank: true }),
    text('Offer', { optionalHeader: true }),
    text('Metric'),
    datetime('Usage Start Time'),
    datetime('Usage End Time'),
    decimal('Usage Quantity'),
    decimal('Charges'),
    currency('Currency'),
    text('Invoice Month', { optionalHeader: true }),
  ],
  toStaging: (row) => ({
    source_ref: v(row, 'Usage Reporting ID'),
    partner_account: v(row, 'Billing Account ID'),
    customer_ref: null,
    product: v(row, 'Product'),
    offer_id: v(row, 'Offer'),
    invoice_ref: v(row, 'Invoice Month'),
    period_start: (v(row, 'Usage Start Time') ?? '').slice(0, 10) || null,
    quantity: v(row, 'Usage Quantity'),
    unit_price: null,
    currency: v(row, 'Currency'),
    // Usage charges are line amounts: full precision, rounded only when invoiced.
    gross: v(row, 'Charges'),
    fee: null,
    tax: null,
    refund: null,
    net: null,
    stated_total: null,
  }),
};

/** Google Cloud Marketplace Disbursements (Entity includes Released Payout / Abandoned Payout). */
export const gcpDisbursements: FormatSpec = {
  name: 'gcp-disbursements',
  title: 'Google Cloud Marketplace Disbursements',
  channel: 'gcp',
  kind: 'payout',
  currencyColumn: 'Currency',
  columns: [
    text('Payout ID', { optionalHeader: true }),
    date('Payout Date', { optionalHeader: true }),
    text('Entity'),
    currency('Currency'),
    amount('Amount'),
    amount('Customer Refund', { allowBlank: true }),
    amount('Total'),
  ],
  toStaging: (row) => ({
    payout_ref: v(row, 'Payout ID'),
    source_ref: null,
    payout_date: v(row, 'Payout Date'),
    currency: v(row, 'Currency'),
    gross: v(row, 'Amount'),
    fee: v(row, 'Customer Refund'),
    net: v(row, 'Total'),
    disbursed: v(row, 'Total'),
    status: v(row, 'Entity'),
  }),
};
