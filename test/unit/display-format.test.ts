import { describe, expect, it } from 'vitest';
import { currencyDigits, formatAmount, formatAmountFull } from '../../renderer/src/lib/money-format';
import {
  formatDate,
  formatDateLike,
  formatDateTime,
  formatPeriod,
  timeZoneLabel,
} from '../../renderer/src/lib/format';
import { parseDateInput } from '../../renderer/src/lib/date-input';
import { readableHeader } from '../../renderer/src/lib/evidence-columns';

describe('amounts as a person reads them', () => {
  it('knows each currency minor unit from Intl: JPY 0, USD 2, KWD 3', () => {
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('KWD')).toBe(3);
  });

  it('shows a settled amount at its minor unit, with the currency code after it', () => {
    expect(formatAmount({ amount: '1234.5', currency: 'USD' })).toBe('1,234.50 USD');
    expect(formatAmount({ amount: '-1234.5', currency: 'JPY' })).toBe('-1,234 JPY');
    expect(formatAmount({ amount: '12.3456', currency: 'KWD' })).toBe('12.346 KWD');
    expect(formatAmount({ amount: '0', currency: 'EUR' })).toBe('0.00 EUR');
  });

  it('rounds half-even, exactly, beyond float precision, and never shows "-0.00"', () => {
    expect(formatAmount({ amount: '0.125', currency: 'USD' })).toBe('0.12 USD');
    expect(formatAmount({ amount: '0.135', currency: 'USD' })).toBe('0.14 USD');
    expect(formatAmount({ amount: '9007199254740993.005', currency: 'USD' })).toBe(
      '9,007,199,254,740,993.00 USD',
    );
    expect(formatAmount({ amount: '-0.004', currency: 'USD' })).toBe('0.00 USD');
  });

  it('keeps every decimal of a rate or usage line, never fewer than the minor unit', () => {
    expect(formatAmount({ amount: '0.0000125', currency: 'USD' }, { line: true })).toBe('0.0000125 USD');
    expect(formatAmount({ amount: '3.5', currency: 'USD' }, { line: true })).toBe('3.50 USD');
    expect(formatAmountFull({ amount: '-1142.504', currency: 'USD' })).toBe('-1,142.504 USD');
  });
});

describe('the one date and time format', () => {
  it('writes an instant as "09 Jul 2026, 15:22" in the operator\'s time zone', () => {
    // The test runs in the machine's zone; compare with Intl's own reading of the same instant.
    const at = new Date(Date.UTC(2026, 6, 9, 15, 22));
    expect(formatDateTime(at.toISOString())).toMatch(/^\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    if (timeZoneLabel(at) === 'UTC') expect(formatDateTime(at.toISOString())).toBe('09 Jul 2026, 15:22');
  });

  it('names the time zone it uses', () => {
    expect(timeZoneLabel()).not.toBe('');
  });

  it('writes calendar dates and periods in the same style, with no ISO or mm/dd/yyyy left', () => {
    expect(formatDate('2026-07-09')).toBe('09 Jul 2026');
    expect(formatPeriod('2026-03-01', '2026-03-31')).toBe('01–31 Mar 2026');
    expect(formatPeriod('2026-03-01', '2026-04-15')).toBe('01 Mar – 15 Apr 2026');
    expect(formatPeriod('2025-12-01', '2026-01-31')).toBe('01 Dec 2025 – 31 Jan 2026');
    expect(formatDateLike('2026-03-01')).toBe('01 Mar 2026');
    expect(formatDateLike('2026-03-01T00:00:00Z')).toMatch(/^\d{2} (Feb|Mar) 2026, \d{2}:\d{2}$/);
    // A partner's own text is not a date to reformat.
    expect(formatDateLike('INV-2026-03')).toBe('INV-2026-03');
    expect(formatDateLike('1234.50')).toBe('1234.50');
  });

  it('reads a typed date in the app format or ISO, and refuses slashed dates as ambiguous', () => {
    expect(parseDateInput('09 Jul 2026')).toBe('2026-07-09');
    expect(parseDateInput('9 july 2026')).toBe('2026-07-09');
    expect(parseDateInput('2026-07-09')).toBe('2026-07-09');
    expect(parseDateInput('31 Feb 2026')).toBeNull();
    expect(parseDateInput('07/09/2026')).toBeNull();
    expect(parseDateInput('09 Ju 2026')).toBeNull();
  });
});

describe('partner column names as headers', () => {
  it('turns code names into words and keeps headings the partner already wrote in words', () => {
    expect(readableHeader('billing_event_id')).toBe('Billing event ID');
    expect(readableHeader('earningAmountUSD')).toBe('Earning amount USD');
    expect(readableHeader('CustomerAWSAccountId')).toBe('Customer AWS account ID');
    expect(readableHeader('discount_pct')).toBe('Discount %');
    expect(readableHeader('Customer Billed Amount')).toBe('Customer Billed Amount');
  });
});
