import { formatByName } from '@shared/ingest/format-registry';
import type { FormatSpec } from '@shared/ingest/format-spec';
import type { ExceptionType } from '@shared/exception-types';
import { toCsv } from './ingest-fixtures';

/**
 * A month (March 2026) of partner and internal files with one planted discrepancy of every type
 * the engine detects, next to rows that match exactly or within tolerance. `planted` lists what
 * a reconciliation must open, with the variance each must carry; `mappings` are the maps a lead
 * keeps (the unmapped account and SKU are planted by leaving theirs out: `lateMappings`).
 */

export const PERIOD = '2026-03';

export interface PlantedException {
  type: ExceptionType;
  /** actual - expected, in minor units. */
  variance: string;
  currency: string;
  /** A reference every planted exception's evidence must include. */
  evidence: string;
}

export interface AccountMapping {
  channel: 'aws' | 'azure' | 'gcp';
  partnerAccount: string;
  customerId: string;
  customerName: string;
}

export interface SkuMapping {
  channel: 'aws' | 'azure' | 'gcp';
  partnerProduct: string;
  partnerDimension: string;
  sku: string;
}

export interface ReconMonth {
  files: Array<{ fileName: string; bytes: Uint8Array }>;
  accounts: AccountMapping[];
  skus: SkuMapping[];
  /** Adding these and re-running must close the unmapped exceptions and open nothing. */
  lateAccounts: AccountMapping[];
  lateSkus: SkuMapping[];
  planted: PlantedException[];
  /** Payout-to-bank pairings a person should confirm. */
  suggested: number;
}

type Cells = Record<string, string>;

/** A CSV file of the format `name` (every header of the format; cells not given are blank). */
export function csv(name: string, rows: Cells[]): { fileName: string; bytes: Uint8Array } {
  const spec = formatByName(name) as FormatSpec;
  const headers = spec.columns.map((c) => c.header);
  return {
    fileName: `${PERIOD}/${name}.csv`,
    bytes: toCsv({ headers, rows: rows.map((r) => headers.map((h) => ({ text: r[h] ?? '' }))) }),
  };
}

const hour = (day: number, h: number): string =>
  `2026-03-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;

function usage(customer: string, sku: string, dimension: string, lines: string[], prefix: string): Cells[] {
  return lines.map((quantity, i) => ({
    usage_id: `${prefix}-${i + 1}`,
    customer_id: customer,
    sku,
    dimension,
    usage_start: hour(2 + i, 10),
    usage_end: hour(2 + i, 11),
    quantity,
  }));
}

function aws(id: string, account: string, product: string, quantity: string, status: string, day = 3): Cells {
  return {
    MeteringRecordId: id,
    ProductCode: product,
    Timestamp: hour(day, 10),
    CustomerAWSAccountId: account,
    Dimension: product === 'prod-embed' ? 'embed_tokens' : 'tokens',
    Quantity: quantity,
    Status: status,
  };
}

function azure(id: string, quantity: string, status: string): Cells {
  return {
    usageEventId: id,
    resourceId: 'az-tenant-b',
    planId: 'plan-llm',
    dimension: 'tokens',
    quantity,
    effectiveStartTime: hour(4, 9),
    status,
  };
}

function invoiceLine(
  invoice: string,
  line: string,
  customer: string,
  sku: string,
  q: string,
  p: string,
  amount: string,
  total: string,
): Cells {
  return {
    invoice_id: invoice,
    line_id: line,
    customer_id: customer,
    invoice_date: '2026-03-31',
    sku,
    quantity: q,
    unit_price: p,
    line_amount: amount,
    currency: 'USD',
    invoice_total: total,
  };
}

function card(
  contract: string,
  customer: string,
  sku: string,
  price: string,
  deal: { offer?: string; list?: string; total?: string } = {},
): Cells {
  return {
    contract_id: contract,
    customer_id: customer,
    sku,
    dimension: '',
    unit_price: price,
    currency: 'USD',
    effective_from: '2026-01-01',
    effective_to: '',
    rounding_mode: 'half_up',
    total_rule: deal.total ?? 'round_sum',
    offer_id: deal.offer ?? '',
    list_price: deal.list ?? '',
  };
}

function billed(
  tx: string,
  account: string,
  gross: string,
  fee: string,
  visibility: string,
  more: { offer?: string; tax?: string } = {},
): Cells {
  return {
    'Customer Reference ID': `ref-${account}`,
    'Product Title': 'LLM API',
    'Product Code': 'prod-llm',
    'Customer Billed Amount': gross,
    'AWS Listing Fee': fee,
    'Partner Revenue Amount': gross,
    Currency: 'USD',
    'Transaction Reference ID': tx,
    'Offer Visibility': visibility,
    'Offer ID': more.offer ?? '',
    'US Sales Tax Billed': more.tax ?? '',
    'Customer AWS Account Number': account,
  };
}

function event(
  id: string,
  type: string,
  amount: string,
  parent: string,
  more: { account?: string; tx?: string } = {},
): Cells {
  return {
    billing_event_id: id,
    end_user_account_id: more.account ?? '111111111111',
    transaction_reference_id: more.tx ?? '',
    product_id: 'prod-llm',
    action: 'INVOICED',
    transaction_type: type,
    parent_billing_event_id: parent,
    amount,
    currency: 'USD',
    invoice_date: hour(31, 0),
    update_date: hour(31, 1),
  };
}

function earning(id: string, eur: string, usd: string): Cells {
  return {
    earningId: id,
    earningAmount: eur,
    earningAmountUSD: usd,
    earningExchangeRate: '1.0850',
    exchangeRateDate: '2026-03-01',
    earningType: 'Usage',
    customerId: 'az-tenant-b',
    productId: 'plan-llm',
  };
}

function bank(day: string, amount: string, reference: string): Cells {
  return { account_id: 'BANK-1', booking_date: day, value_date: day, amount, currency: 'USD', reference };
}

export function reconMonth(): ReconMonth {
  const files = [
    csv('rate-cards', [
      card('CON-A', 'CUST-A', 'SKU-LLM', '0.002'),
      card('CON-B', 'CUST-B', 'SKU-LLM', '0.0025'),
      // Sold under a private offer at 0.002 against a 0.0025 list price.
      card('CON-C', 'CUST-C', 'SKU-LLM', '0.002', { offer: 'offer-priv-c', list: '0.0025' }),
      card('CON-C', 'CUST-C', 'SKU-EMB', '0.0001'),
      card('CON-D', 'CUST-D', 'SKU-LLM', '0.003'),
      card('CON-E', 'CUST-E', 'SKU-LLM', '0.002'),
      // A direct customer whose contract totals invoices as the sum of the rounded lines.
      card('CON-G', 'CUST-G', 'SKU-LLM', '0.002', { total: 'sum_rounded' }),
    ]),
    csv('internal-usage', [
      // Ten hourly lines against the partner's five (many to many); the partner has 2 tokens more:
      // $0.004, which rounds to nothing.
      ...usage('CUST-A', 'SKU-LLM', 'tokens', Array<string>(10).fill('1000.5'), 'UA'),
      ...usage('CUST-B', 'SKU-LLM', 'tokens', ['20000', '30000'], 'UB'),
      ...usage('CUST-C', 'SKU-LLM', 'tokens', ['20000'], 'UC'),
      ...usage('CUST-C', 'SKU-EMB', 'embed_tokens', ['100000'], 'UCE'),
      ...usage('CUST-D', 'SKU-LLM', 'tokens', ['3000'], 'UD'),
      ...usage('CUST-E', 'SKU-LLM', 'tokens', ['7000'], 'UE'),
    ]),
    csv('aws-metering', [
      aws('MA-1', '111111111111', 'prod-llm', '2001', 'Success', 2),
      aws('MA-2', '111111111111', 'prod-llm', '2001', 'Success', 3),
      aws('MA-3', '111111111111', 'prod-llm', '2001', 'Success', 4),
      aws('MA-4', '111111111111', 'prod-llm', '2001', 'Success', 5),
      aws('MA-5', '111111111111', 'prod-llm', '2003', 'Success', 6),
      aws('MA-DUP', '111111111111', 'prod-llm', '1000', 'DuplicateRecord', 6),
      aws('MC-1', '222222222222', 'prod-llm', '15000', 'Success'),
      aws('MC-REJ', '222222222222', 'prod-llm', '5000', 'CustomerNotSubscribed'),
      aws('MC-EMB', '222222222222', 'prod-embed', '100000', 'Success'),
      aws('MD-1', '999999999999', 'prod-llm', '3000', 'Success'),
    ]),
    csv('azure-metered-usage', [azure('ZB-1', '38000', 'Accepted'), azure('ZB-LATE', '2000', 'Expired')]),
    csv('internal-invoices', [
      invoiceLine('INV-A', 'A-1', 'CUST-A', 'SKU-LLM', '5002.5', '0.002', '10.005', '20.01'),
      invoiceLine('INV-A', 'A-2', 'CUST-A', 'SKU-LLM', '5002.5', '0.002', '10.005', '20.01'),
      // 0.4 of a cent over the rate card: within tolerance.
      invoiceLine('INV-B', 'B-1', 'CUST-B', 'SKU-LLM', '50000', '0.0025', '125.004', '125.00'),
      invoiceLine('INV-C', 'C-1', 'CUST-C', 'SKU-LLM', '20000', '0.0022', '44', '54.00'),
      invoiceLine('INV-C', 'C-2', 'CUST-C', 'SKU-EMB', '100000', '0.0001', '10', '54.00'),
      invoiceLine('INV-D', 'D-1', 'CUST-D', 'SKU-LLM', '3000', '0.003', '9', '9.00'),
      // Credit memos: 12.00 promised to CUST-A (AWS applied 5.00), 3.00 to CUST-C (applied in full).
      invoiceLine('CM-A', 'CM-A-1', 'CUST-A', 'SKU-LLM', '-6000', '0.002', '-12.00', '-12.00'),
      invoiceLine('CM-C', 'CM-C-1', 'CUST-C', 'SKU-LLM', '-1500', '0.002', '-3.00', '-3.00'),
      // Direct customers: INV-F paid 20.00 short; INV-G's total is its rounded lines (100.01 +
      // 200.01, a cent above the rounded sum), paid a cent short; INV-H states 110.00 for 100.00.
      invoiceLine('INV-F', 'F-1', 'CUST-F', 'SKU-SUPPORT', '1', '250', '250.00', '500.00'),
      invoiceLine('INV-F', 'F-2', 'CUST-F', 'SKU-SUPPORT', '1', '250', '250.00', '500.00'),
      invoiceLine('INV-G', 'G-1', 'CUST-G', 'SKU-LLM', '50002.5', '0.002', '100.005', '300.02'),
      invoiceLine('INV-G', 'G-2', 'CUST-G', 'SKU-LLM', '100002.5', '0.002', '200.005', '300.02'),
      invoiceLine('INV-H', 'H-1', 'CUST-F', 'SKU-SUPPORT', '1', '40', '40.00', '110.00'),
      invoiceLine('INV-H', 'H-2', 'CUST-F', 'SKU-SUPPORT', '1', '60', '60.00', '110.00'),
    ]),
    csv('aws-billed-revenue', [
      // Tax 1.60 billed and 1.60 in the feed; TX-A3 billed 8.25 of tax, the feed has 7.25.
      billed('TX-A1', '111111111111', '20.01', '(0.60)', 'Public', { tax: '1.60' }),
      billed('TX-A3', '111111111111', '100.00', '(3.00)', 'Public', { tax: '8.25' }),
      // 3% of 0.50 is 0.015: half-up to 0.02, as the partner charged.
      billed('TX-A2', '111111111111', '0.50', '-0.02', 'Public'),
      billed('TX-C1', '222222222222', '1,000.00', '(50.00)', 'Private', { offer: 'offer-priv-c' }),
      // Billed at list price outside the deal's offer: 250.00 where the deal makes it 200.00.
      billed('TX-C2', '222222222222', '250.00', '(7.50)', 'Public'),
      billed('TX-D1', '999999999999', '9.00', '-0.27', 'Public'),
    ]),
    csv('azure-payments', [
      { paymentID: 'PAY-1', paymentDate: '2026-03-15', totalPayment: '100.00', currency: 'USD' },
      { paymentID: 'PAY-2', paymentDate: '2026-03-20', totalPayment: '250.00', currency: 'USD' },
      { paymentID: 'PAY-3', paymentDate: '2026-03-25', totalPayment: '75.00', currency: 'USD' },
    ]),
    csv('bank-statement', [
      {
        account_id: 'BANK-1',
        booking_date: '2026-03-16',
        value_date: '2026-03-16',
        amount: '100.00',
        currency: 'USD',
        reference: 'PAY-1',
      },
      {
        account_id: 'BANK-1',
        booking_date: '2026-03-21',
        value_date: '2026-03-21',
        amount: '240.00',
        currency: 'USD',
        reference: 'PAY-2',
      },
      bank('2026-03-30', '480.00', 'INV-F'),
      bank('2026-03-30', '300.01', 'INV-G'),
      {
        account_id: 'BANK-1',
        booking_date: '2026-03-27',
        value_date: '2026-03-27',
        amount: '75.00',
        currency: 'USD',
        reference: '',
      },
    ]),
    csv('aws-billing-events', [
      event('EV-1', 'SELLER_REV_SHARE', '20.01', ''),
      event('EV-2', 'SELLER_REV_SHARE_REFUND', '-5.00', 'EV-1'),
      event('EV-3', 'SELLER_REV_SHARE_REFUND', '-7.50', 'EV-404'),
      event('EV-T1', 'SELLER_TAX_SHARE', '1.60', '', { tx: 'TX-A1' }),
      event('EV-T3', 'SELLER_TAX_SHARE', '7.25', '', { tx: 'TX-A3' }),
      event('EV-CR1', 'SELLER_REV_SHARE_CREDIT', '-5.00', ''),
      event('EV-CR2', 'SELLER_REV_SHARE_CREDIT', '-3.00', '', { account: '222222222222' }),
    ]),
    csv('azure-earnings', [
      // 33.33 EUR at 1.0850 is 36.16305 USD: 36.16 as stated. 200.00 EUR should be 217.00, not 215.00.
      earning('E-1', '33.33', '36.16'),
      earning('E-2', '200.00', '215.00'),
    ]),
  ];
  return {
    files,
    accounts: [
      { channel: 'aws', partnerAccount: '111111111111', customerId: 'CUST-A', customerName: 'Alpha Ltd' },
      { channel: 'azure', partnerAccount: 'az-tenant-b', customerId: 'CUST-B', customerName: 'Beta GmbH' },
      { channel: 'aws', partnerAccount: '222222222222', customerId: 'CUST-C', customerName: 'Gamma SA' },
    ],
    skus: [
      { channel: 'aws', partnerProduct: 'prod-llm', partnerDimension: '', sku: 'SKU-LLM' },
      { channel: 'azure', partnerProduct: 'plan-llm', partnerDimension: '', sku: 'SKU-LLM' },
    ],
    lateAccounts: [
      { channel: 'aws', partnerAccount: '999999999999', customerId: 'CUST-D', customerName: 'Delta KK' },
    ],
    lateSkus: [
      { channel: 'aws', partnerProduct: 'prod-embed', partnerDimension: 'embed_tokens', sku: 'SKU-EMB' },
    ],
    planted: [
      { type: 'unmapped_account', variance: '9', currency: 'USD', evidence: 'MD-1' },
      { type: 'unmapped_sku', variance: '0', currency: 'USD', evidence: 'MC-EMB' },
      { type: 'metering_rejected', variance: '-10', currency: 'USD', evidence: 'MC-REJ' },
      { type: 'duplicate_metering', variance: '-2', currency: 'USD', evidence: 'MA-DUP' },
      { type: 'late_metering', variance: '-5', currency: 'USD', evidence: 'ZB-LATE' },
      { type: 'usage_mismatch', variance: '-25', currency: 'USD', evidence: 'ZB-1' },
      { type: 'rate_mismatch', variance: '4', currency: 'USD', evidence: 'C-1' },
      { type: 'listing_fee_mismatch', variance: '20', currency: 'USD', evidence: 'TX-C1' },
      { type: 'missing_invoice', variance: '-14', currency: 'USD', evidence: 'UE-1' },
      { type: 'disbursement_variance', variance: '-10', currency: 'USD', evidence: 'PAY-2' },
      { type: 'refund_unmatched', variance: '-7.5', currency: 'USD', evidence: 'EV-3' },
      { type: 'discount_not_applied', variance: '50', currency: 'USD', evidence: 'TX-C2' },
      { type: 'credit_not_applied', variance: '7', currency: 'USD', evidence: 'CM-A-1' },
      { type: 'short_payment', variance: '-20', currency: 'USD', evidence: 'INV-F' },
      { type: 'fx_variance', variance: '-2', currency: 'USD', evidence: 'E-2' },
      { type: 'tax_variance', variance: '-1', currency: 'USD', evidence: 'TX-A3' },
      // An invoice total beyond its lines' rounding is a pricing error: rate_mismatch by invoice.
      { type: 'rate_mismatch', variance: '10', currency: 'USD', evidence: 'H-1' },
    ],
    suggested: 1,
  };
}
