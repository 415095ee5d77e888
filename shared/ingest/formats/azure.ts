import {
  amount,
  boolean,
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

/**
 * Azure Partner Center earnings. earningAmount is in the transaction currency, which the
 * export does not name per row; earningAmountUSD is the settled USD figure.
 */
export const azureEarnings: FormatSpec = {
  name: 'azure-earnings',
  title: 'Azure Partner Center earnings',
  channel: 'azure',
  kind: 'billed_line',
  defaultCurrency: 'USD',
  columns: [
    text('earningId'),
    decimal('earningAmount'),
    amount('earningAmountUSD'),
    decimal('earningExchangeRate'),
    date('exchangeRateDate', { allowBlank: true }),
    text('earningType'),
    text('customerId'),
    text('customerName', { allowBlank: true }),
    text('orderId', { allowBlank: true }),
    text('lineItemId', { allowBlank: true }),
    text('invoiceNumber', { allowBlank: true }),
    boolean('isPrivateOffer', { allowBlank: true }),
    text('productId'),
    text('paymentId', { allowBlank: true }),
    text('paymentStatus', { allowBlank: true }),
  ],
  toStaging: (row) => ({
    source_ref: v(row, 'earningId'),
    partner_account: v(row, 'customerId'),
    customer_ref: v(row, 'customerName'),
    product: v(row, 'productId'),
    offer_id: v(row, 'orderId'),
    invoice_ref: v(row, 'invoiceNumber'),
    period_start: null,
    quantity: null,
    unit_price: null,
    currency: 'USD',
    gross: v(row, 'earningAmountUSD'),
    fee: null,
    tax: null,
    refund: null,
    net: v(row, 'earningAmountUSD'),
    stated_total: null,
  }),
};

/** Azure Partner Center payments; paymentID appears on the bank statement. */
export const azurePayments: FormatSpec = {
  name: 'azure-payments',
  title: 'Azure Partner Center payments',
  channel: 'azure',
  kind: 'payout',
  currencyColumn: 'currency',
  columns: [text('paymentID'), date('paymentDate'), amount('totalPayment'), currency('currency')],
  toStaging: (row) => ({
    payout_ref: v(row, 'paymentID'),
    source_ref: null,
    payout_date: v(row, 'paymentDate'),
    currency: v(row, 'currency'),
    gross: null,
    fee: null,
    net: v(row, 'totalPayment'),
    disbursed: v(row, 'totalPayment'),
    status: null,
  }),
};

export const AZURE_USAGE_STATUSES = [
  'Accepted',
  'Expired',
  'Duplicate',
  'Error',
  'ResourceNotFound',
  'InvalidDimension',
  'InvalidQuantity',
] as const;

/** Azure metered billing usage events with the marketplace's status per event. */
export const azureMeteredUsage: FormatSpec = {
  name: 'azure-metered-usage',
  title: 'Azure metered usage events',
  channel: 'azure',
  kind: 'usage_line',
  columns: [
    text('usageEventId', { optionalHeader: true }),
    text('resourceId'),
    text('planId'),
    text('dimension'),
    decimal('quantity'),
    datetime('effectiveStartTime'),
    oneOf('status', AZURE_USAGE_STATUSES),
  ],
  toStaging: (row) => ({
    source_ref: v(row, 'usageEventId'),
    partner_account: v(row, 'resourceId'),
    product: v(row, 'planId'),
    dimension: v(row, 'dimension'),
    event_start: v(row, 'effectiveStartTime'),
    event_end: null,
    quantity: v(row, 'quantity'),
    status: v(row, 'status'),
  }),
};
