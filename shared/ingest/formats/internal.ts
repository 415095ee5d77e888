import { ROUNDING_MODES, TOTAL_RULES } from '../precision';
import {
  amount,
  currency,
  date,
  datetime,
  decimal,
  type FormatSpec,
  oneOf,
  type Row,
  text,
} from '../format-spec';

const v = (row: Row, header: string): string | null => row[header] ?? null;

/** Our own usage ledger (what we metered), one row per customer, SKU, dimension and hour. */
export const internalUsage: FormatSpec = {
  name: 'internal-usage',
  title: 'Internal usage ledger',
  channel: 'internal',
  kind: 'usage_line',
  columns: [
    text('usage_id'),
    text('customer_id'),
    text('sku'),
    text('dimension'),
    datetime('usage_start'),
    datetime('usage_end'),
    decimal('quantity'),
  ],
  toStaging: (row) => ({
    source_ref: v(row, 'usage_id'),
    partner_account: v(row, 'customer_id'),
    product: v(row, 'sku'),
    dimension: v(row, 'dimension'),
    event_start: v(row, 'usage_start'),
    event_end: v(row, 'usage_end'),
    quantity: v(row, 'quantity'),
    status: null,
  }),
};

/**
 * Our invoices, one row per invoice line: line_amount keeps full precision, invoice_total is
 * the settled total in minor units (repeated on every line of the invoice).
 */
export const internalInvoices: FormatSpec = {
  name: 'internal-invoices',
  title: 'Internal invoices',
  channel: 'internal',
  kind: 'billed_line',
  currencyColumn: 'currency',
  columns: [
    text('invoice_id'),
    text('line_id'),
    text('customer_id'),
    text('customer_name', { allowBlank: true, optionalHeader: true }),
    date('invoice_date'),
    text('sku'),
    decimal('quantity'),
    decimal('unit_price'),
    decimal('line_amount'),
    currency('currency'),
    amount('invoice_total'),
  ],
  toStaging: (row) => ({
    source_ref: v(row, 'line_id'),
    partner_account: v(row, 'customer_id'),
    customer_ref: v(row, 'customer_name'),
    product: v(row, 'sku'),
    offer_id: null,
    invoice_ref: v(row, 'invoice_id'),
    period_start: v(row, 'invoice_date'),
    quantity: v(row, 'quantity'),
    unit_price: v(row, 'unit_price'),
    currency: v(row, 'currency'),
    gross: v(row, 'line_amount'),
    fee: null,
    tax: null,
    refund: null,
    net: v(row, 'line_amount'),
    stated_total: v(row, 'invoice_total'),
  }),
};

/**
 * Contract rate cards: the unit price per SKU and dimension, the contract's rounding rule and,
 * optionally, the deal's private offer and list price (discount_not_applied).
 */
export const rateCards: FormatSpec = {
  name: 'rate-cards',
  title: 'Contract rate cards',
  channel: 'internal',
  kind: 'rate_card',
  columns: [
    text('contract_id'),
    text('customer_id'),
    text('sku'),
    text('dimension', { allowBlank: true }),
    decimal('unit_price'),
    currency('currency'),
    date('effective_from'),
    date('effective_to', { allowBlank: true }),
    oneOf('rounding_mode', ROUNDING_MODES),
    oneOf('total_rule', TOTAL_RULES),
    // The CRM deal behind the price: the private offer it was sold under and the list price its
    // discount is taken from. Reconciliation reads them from the staged row's raw cells.
    text('offer_id', { optionalHeader: true, allowBlank: true }),
    decimal('list_price', { optionalHeader: true, allowBlank: true }),
  ],
  toStaging: (row) => ({
    contract_id: v(row, 'contract_id'),
    customer_ref: v(row, 'customer_id'),
    product: v(row, 'sku'),
    dimension: v(row, 'dimension'),
    unit_price: v(row, 'unit_price'),
    currency: v(row, 'currency'),
    effective_from: v(row, 'effective_from'),
    effective_to: v(row, 'effective_to'),
    rounding_mode: v(row, 'rounding_mode'),
    total_rule: v(row, 'total_rule'),
  }),
};

/** Bank statement lines (cash received); reference carries AWS bank_trace_id or Azure paymentID. */
export const bankStatement: FormatSpec = {
  name: 'bank-statement',
  title: 'Bank statement lines',
  channel: 'bank',
  kind: 'bank_line',
  currencyColumn: 'currency',
  columns: [
    text('account_id'),
    date('booking_date'),
    date('value_date'),
    amount('amount'),
    currency('currency'),
    text('reference', { allowBlank: true }),
    text('counterparty', { allowBlank: true }),
    text('description', { allowBlank: true }),
  ],
  toStaging: (row) => ({
    account: v(row, 'account_id'),
    booking_date: v(row, 'booking_date'),
    value_date: v(row, 'value_date'),
    reference: v(row, 'reference'),
    counterparty: v(row, 'counterparty'),
    description: v(row, 'description'),
    currency: v(row, 'currency'),
    amount: v(row, 'amount'),
  }),
};
