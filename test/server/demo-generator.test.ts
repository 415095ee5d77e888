import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { DEMO_ASSIGNEE_IDS, generateDemoExceptions } from '@shared/demo/generate';
import { unitsToDecimal } from '@shared/demo/decimal-text';
import { exceptionRecordSchema, type EvidenceSource } from '@shared/exception';
import { CHANNELS, EXCEPTION_TYPES } from '@shared/exception-types';
import { EXCEPTION_STATUSES } from '@shared/exception-status';

const NOW = new Date('2026-03-15T09:30:00.000Z');
const records = generateDemoExceptions({ count: 3000, seed: 2026, now: NOW });

/** Column names straight from the partner reports in shared/DOMAIN.md. */
const REAL_COLUMNS: Partial<Record<EvidenceSource, string[]>> = {
  aws_billed_revenue: [
    'Customer Reference ID',
    'Product Title',
    'Product Code',
    'Customer Billed Amount',
    'AWS Listing Fee',
    'Refunds Amount',
    'AWS Fee Refund',
    'Cost',
    'Partner Revenue Amount',
    'Currency',
    'Transaction Reference ID',
    'US Sales Tax Billed',
    'Offer ID',
    'Offer Visibility',
    'Customer AWS Account Number',
  ],
  aws_disbursement: [
    'SellerRev',
    'AWSRefFee',
    'SellerRevRefund',
    'AWSRefFeeRefund',
    'SellerRevCredit',
    'AWSRefFeeCredit',
    'Net Amount',
    'Transaction Reference ID',
    'Settlement ID',
    'Settlement Period Start Date',
    'Settlement Period End Date',
    'Deposit Date',
    'Disbursed Amount',
  ],
  aws_billing_event: [
    'billing_event_id',
    'from_account_id',
    'to_account_id',
    'end_user_account_id',
    'product_id',
    'action',
    'transaction_type',
    'parent_billing_event_id',
    'disbursement_billing_event_id',
    'amount',
    'currency',
    'invoice_date',
    'payment_due_date',
    'usage_period_start_date',
    'usage_period_end_date',
    'invoice_id',
    'transaction_reference_id',
    'bank_trace_id',
    'broker_id',
  ],
  aws_meter_usage: ['Timestamp', 'CustomerAWSAccountId', 'Dimension', 'Quantity'],
  azure_earnings: [
    'earningId',
    'earningAmount',
    'earningAmountUSD',
    'earningExchangeRate',
    'exchangeRateDate',
    'earningType',
    'customerId',
    'customerName',
    'orderId',
    'lineItemId',
    'invoiceNumber',
    'isPrivateOffer',
    'productId',
    'paymentId',
    'paymentStatus',
  ],
  azure_payment: ['paymentID', 'paymentDate', 'totalPayment', 'currency'],
  azure_metered_usage: ['resourceId', 'planId', 'dimension', 'quantity', 'effectiveStartTime'],
  gcp_disbursement: ['Entity', 'Currency', 'Amount', 'Customer Refund', 'Total'],
};

describe('demo exception generator', () => {
  it('produces records that all pass the shared schema, with sequential ids', () => {
    records.forEach((r, i) => {
      const parsed = exceptionRecordSchema.safeParse(r);
      expect(parsed.success, `${r.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(r.id).toBe(`EX-${String(i + 1).padStart(6, '0')}`);
    });
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateDemoExceptions({ count: 500, seed: 2026, now: NOW })).toEqual(records.slice(0, 500));
    expect(generateDemoExceptions({ count: 50, seed: 2027, now: NOW })).not.toEqual(records.slice(0, 50));
  });

  it('covers every exception type and every channel, even in a small set', () => {
    const small = generateDemoExceptions({ count: 21, seed: 5, now: NOW });
    expect(new Set(small.map((r) => r.type))).toEqual(new Set(EXCEPTION_TYPES));
    expect(new Set(small.map((r) => r.channel))).toEqual(new Set(CHANNELS));
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(EXCEPTION_TYPES));
    expect(new Set(records.map((r) => r.channel))).toEqual(new Set(CHANNELS));
  });

  it('computes variance as actual minus expected, exactly, in the record currency', () => {
    for (const r of records) {
      expect(r.expected.currency).toBe(r.actual.currency);
      expect(r.variance.currency).toBe(r.actual.currency);
      const exact = new Decimal(r.actual.amount).minus(r.expected.amount);
      expect(new Decimal(r.variance.amount).equals(exact), r.id).toBe(true);
      expect(exact.isZero(), `${r.id} has no variance`).toBe(false);
    }
    expect(new Set(records.map((r) => r.expected.currency))).toEqual(
      new Set(['USD', 'EUR', 'GBP', 'AUD', 'JPY']),
    );
  });

  it('uses realistic partner identifiers per channel', () => {
    const patterns: Record<string, RegExp> = {
      aws: /^\d{12}$/,
      azure: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      gcp: /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/,
      reseller: /^RSL-\d{5}$/,
      direct: /^ACCT-\d{6}$/,
    };
    for (const r of records)
      expect(r.partnerAccountId, `${r.id} ${r.channel}`).toMatch(patterns[r.channel] ?? /x^/);
    for (const r of records.filter((x) => x.channel === 'aws'))
      expect(r.agreementId).toMatch(/^agmt-[a-z0-9]{25}$/);
  });

  it('attaches 1 to 6 evidence rows keyed by the real partner column names', () => {
    const seenSources = new Set<string>();
    for (const r of records) {
      expect(r.evidence.length).toBeGreaterThanOrEqual(1);
      expect(r.evidence.length).toBeLessThanOrEqual(6);
      for (const e of r.evidence) {
        seenSources.add(e.source);
        const columns = REAL_COLUMNS[e.source];
        if (columns)
          for (const c of columns) expect(e.fields, `${r.id} ${e.source} lacks "${c}"`).toHaveProperty([c]);
      }
    }
    for (const source of Object.keys(REAL_COLUMNS)) expect(seenSources, source).toContain(source);
  });

  it('spreads priorities, statuses and SLA due dates around now', () => {
    expect(new Set(records.map((r) => r.priority))).toEqual(new Set([1, 2, 3, 4, 5]));
    const statuses = new Set(records.map((r) => r.status));
    expect(statuses.has('open')).toBe(true);
    expect(statuses.size).toBeGreaterThanOrEqual(EXCEPTION_STATUSES.length - 1);
    const open = records.filter((r) => r.status === 'open').length;
    expect(open / records.length).toBeGreaterThan(0.5);
    const overdue = records.filter((r) => Date.parse(r.slaDueAt) < NOW.getTime()).length;
    expect(overdue).toBeGreaterThan(records.length * 0.15);
    expect(overdue).toBeLessThan(records.length * 0.85);
    for (const r of records) {
      expect(Date.parse(r.openedAt)).toBeLessThanOrEqual(NOW.getTime());
      expect(Date.parse(r.updatedAt)).toBeGreaterThanOrEqual(Date.parse(r.openedAt));
      expect(r.periodStart <= r.periodEnd).toBe(true);
      if (r.status === 'open') expect(r.assigneeId).toBeNull();
      if (r.status === 'assigned' || r.status === 'in_progress')
        expect(DEMO_ASSIGNEE_IDS).toContain(r.assigneeId);
    }
  });

  it('writes decimal text exactly, without floats', () => {
    expect(unitsToDecimal(0, 6)).toBe('0');
    expect(unitsToDecimal(-1, 6)).toBe('-0.000001');
    expect(unitsToDecimal(123_450_000, 6)).toBe('123.45');
    expect(unitsToDecimal(9_007_199_254_740_991n * 1000n, 10)).toBe('900719925.4740991');
  });
});
