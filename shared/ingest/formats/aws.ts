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

/** AWS Marketplace, Monthly Billed Revenue report (one row per billed transaction). */
export const awsBilledRevenue: FormatSpec = {
  name: 'aws-billed-revenue',
  title: 'AWS Marketplace Monthly Billed Revenue',
  channel: 'aws',
  kind: 'billed_line',
  currencyColumn: 'Currency',
  columns: [
    text('Customer Reference ID'),
    text('Product Title'),
    text('Product Code'),
    amount('Customer Billed Amount'),
    amount('AWS Listing Fee'),
    amount('Refunds Amount', { allowBlank: true }),
    amount('AWS Fee Refund', { allowBlank: true }),
    amount('Cost', { allowBlank: true }),
    amount('Partner Revenue Amount'),
    currency('Currency'),
    text('Transaction Reference ID'),
    amount('US Sales Tax Billed', { allowBlank: true, optionalHeader: true }),
    text('Offer ID', { allowBlank: true }),
    oneOf('Offer Visibility', ['Public', 'Private'], { allowBlank: true, optionalHeader: true }),
    text('Customer AWS Account Number'),
  ],
  toStaging: (row) => ({
    source_ref: v(row, 'Transaction Reference ID'),
    partner_account: v(row, 'Customer AWS Account Number'),
    customer_ref: v(row, 'Customer Reference ID'),
    product: v(row, 'Product Code'),
    offer_id: v(row, 'Offer ID'),
    invoice_ref: null,
    period_start: null,
    quantity: null,
    unit_price: null,
    currency: v(row, 'Currency'),
    gross: v(row, 'Customer Billed Amount'),
    fee: v(row, 'AWS Listing Fee'),
    tax: v(row, 'US Sales Tax Billed'),
    refund: v(row, 'Refunds Amount'),
    net: v(row, 'Partner Revenue Amount'),
    stated_total: null,
  }),
};

/** AWS legacy Disbursement report (USD; one row per transaction within a settlement). */
export const awsDisbursement: FormatSpec = {
  name: 'aws-disbursement',
  title: 'AWS Marketplace legacy Disbursement report',
  channel: 'aws',
  kind: 'payout',
  defaultCurrency: 'USD',
  columns: [
    amount('SellerRev'),
    amount('AWSRefFee'),
    amount('SellerRevRefund', { allowBlank: true }),
    amount('AWSRefFeeRefund', { allowBlank: true }),
    amount('SellerRevCredit', { allowBlank: true }),
    amount('AWSRefFeeCredit', { allowBlank: true }),
    amount('Net Amount'),
    text('Transaction Reference ID'),
    text('Settlement ID'),
    date('Settlement Period Start Date'),
    date('Settlement Period End Date'),
    date('Deposit Date'),
    amount('Disbursed Amount'),
  ],
  toStaging: (row) => ({
    payout_ref: v(row, 'Settlement ID'),
    source_ref: v(row, 'Transaction Reference ID'),
    payout_date: v(row, 'Deposit Date'),
    currency: 'USD',
    gross: v(row, 'SellerRev'),
    fee: v(row, 'AWSRefFee'),
    net: v(row, 'Net Amount'),
    disbursed: v(row, 'Disbursed Amount'),
    status: null,
  }),
};

export const AWS_BILLING_ACTIONS = ['INVOICED', 'FORGIVEN', 'DISBURSED'] as const;

/**
 * AWS Seller Data Feeds, billing event feed. Bi-temporal: a billing event can be restated; the
 * staging table keeps every version and the view ingest_billing_events_current keeps the latest
 * per billing_event_id by update_date.
 */
export const awsBillingEvents: FormatSpec = {
  name: 'aws-billing-events',
  title: 'AWS Seller Data Feed: billing events',
  channel: 'aws',
  kind: 'billing_event',
  currencyColumn: 'currency',
  columns: [
    text('billing_event_id'),
    text('from_account_id', { allowBlank: true }),
    text('to_account_id', { allowBlank: true }),
    text('end_user_account_id', { allowBlank: true }),
    text('product_id', { allowBlank: true }),
    oneOf('action', AWS_BILLING_ACTIONS),
    text('transaction_type'),
    text('parent_billing_event_id', { allowBlank: true }),
    text('disbursement_billing_event_id', { allowBlank: true }),
    // Tax and listing-fee shares are computed per event and may carry more than minor units.
    decimal('amount'),
    currency('currency'),
    datetime('invoice_date', { allowBlank: true }),
    datetime('payment_due_date', { allowBlank: true }),
    datetime('usage_period_start_date', { allowBlank: true }),
    datetime('usage_period_end_date', { allowBlank: true }),
    text('invoice_id', { allowBlank: true }),
    text('transaction_reference_id', { allowBlank: true }),
    text('bank_trace_id', { allowBlank: true }),
    text('broker_id', { allowBlank: true }),
    datetime('update_date'),
  ],
  toStaging: (row) => ({
    billing_event_id: v(row, 'billing_event_id'),
    update_date: v(row, 'update_date'),
    action: v(row, 'action'),
    transaction_type: v(row, 'transaction_type'),
    parent_billing_event_id: v(row, 'parent_billing_event_id'),
    disbursement_billing_event_id: v(row, 'disbursement_billing_event_id'),
    partner_account: v(row, 'end_user_account_id'),
    product: v(row, 'product_id'),
    amount: v(row, 'amount'),
    currency: v(row, 'currency'),
    invoice_id: v(row, 'invoice_id'),
    invoice_date: v(row, 'invoice_date'),
    transaction_reference_id: v(row, 'transaction_reference_id'),
    bank_trace_id: v(row, 'bank_trace_id'),
  }),
};

export const AWS_METERING_STATUSES = ['Success', 'CustomerNotSubscribed', 'DuplicateRecord'] as const;

/** AWS BatchMeterUsage records with their per-record status. */
export const awsMetering: FormatSpec = {
  name: 'aws-metering',
  title: 'AWS Marketplace metering records (BatchMeterUsage)',
  channel: 'aws',
  kind: 'usage_line',
  columns: [
    text('MeteringRecordId', { optionalHeader: true }),
    text('ProductCode', { optionalHeader: true }),
    datetime('Timestamp'),
    text('CustomerAWSAccountId'),
    text('Dimension'),
    decimal('Quantity'),
    oneOf('Status', AWS_METERING_STATUSES),
  ],
  toStaging: (row) => ({
    source_ref: v(row, 'MeteringRecordId'),
    partner_account: v(row, 'CustomerAWSAccountId'),
    product: v(row, 'ProductCode'),
    dimension: v(row, 'Dimension'),
    event_start: v(row, 'Timestamp'),
    event_end: null,
    quantity: v(row, 'Quantity'),
    status: v(row, 'Status'),
  }),
};
