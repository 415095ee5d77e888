import { describe, expect, it } from 'vitest';
import { parseDecimalText } from '@shared/ingest/decimal-text';
import { FORMATS } from '@shared/ingest/format-registry';
import { checkInvoiceTotal, roundToMinor, settledTotal } from '@shared/ingest/precision';
import { STAGING_TABLES } from '../../server/src/features/ingest/staging-tables';
import { numberToDecimalText } from '../../server/src/features/ingest/xlsx-reader';

describe('decimal text as partners write it', () => {
  it.each([
    ['1,234.50', '1234.50'],
    ['(1,234.50)', '-1234.50'],
    [' -0.000123 ', '-0.000123'],
    ['+7', '7'],
    ['.5', '0.5'],
    ['007.10', '7.10'],
    ['(0.00)', '0.00'],
    ['1,000,000', '1000000'],
  ])('%s reads as %s, digits kept exactly', (raw, value) => {
    expect(parseDecimalText(raw)).toEqual({ ok: true, value });
  });

  it.each(['', '1e5', '1,23.00', '12,34', '1.2.3', '--1', '(1', 'NaN', 'Infinity', '$12', '12-', '1 234'])(
    '%s is refused',
    (raw) => {
      expect(parseDecimalText(raw).ok).toBe(false);
    },
  );
});

describe('rounding to the minor unit, one rule per partner or contract', () => {
  it('uses the currency minor units: JPY 0, USD 2, KWD 3', () => {
    expect(roundToMinor('13597.772416', 'JPY', 'half_up')).toBe('13598');
    expect(roundToMinor('80.68711', 'USD', 'half_up')).toBe('80.69');
    expect(roundToMinor('1.2345', 'KWD', 'half_even')).toBe('1.234');
    expect(roundToMinor('1.2355', 'KWD', 'half_even')).toBe('1.236');
  });

  it('half-up and half-even differ only on an exact half, negatives away from zero', () => {
    expect(roundToMinor('2.125', 'USD', 'half_up')).toBe('2.13');
    expect(roundToMinor('2.125', 'USD', 'half_even')).toBe('2.12');
    expect(roundToMinor('-2.125', 'USD', 'half_up')).toBe('-2.13');
    expect(roundToMinor('-0.004', 'USD', 'half_up')).toBe('0.00');
  });

  it('computes the rounding difference between lines and their invoice under each total rule', () => {
    const lines = ['0.333333', '0.333333', '0.333334'];
    expect(settledTotal(lines, 'USD', { mode: 'half_up', total: 'round_sum' })).toEqual({
      exactSum: '1',
      total: '1.00',
      roundingDifference: '0',
    });
    expect(settledTotal(lines, 'USD', { mode: 'half_up', total: 'sum_rounded' })).toEqual({
      exactSum: '1',
      total: '0.99',
      roundingDifference: '-0.01',
    });
  });

  it('an invoice that follows its rule has no discrepancy, only a rounding difference', () => {
    const lines = ['4533.257472', '4533.257472', '4533.257472'];
    const ok = checkInvoiceTotal(lines, '13600', 'JPY', { mode: 'half_even', total: 'sum_rounded' });
    expect(ok).toMatchObject({ total: '13599', discrepancy: '1', roundingDifference: '-0.772416' });
    const right = checkInvoiceTotal(lines, '13600', 'JPY', { mode: 'half_up', total: 'round_sum' });
    expect(right).toMatchObject({
      exactSum: '13599.772416',
      total: '13600',
      roundingDifference: '0.227584',
      discrepancy: '0',
    });
  });
});

describe('xlsx numeric cells', () => {
  it('recover the decimal Excel shows (15 significant digits), never a float artefact', () => {
    expect(numberToDecimalText(0.1 + 0.2)).toBe('0.3');
    expect(numberToDecimalText(80.68711)).toBe('80.68711');
    expect(numberToDecimalText(-0)).toBe('0');
    expect(numberToDecimalText(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimalText(0.000001234)).toBe('0.000001234');
  });
});

describe('format specs', () => {
  it.each(FORMATS.map((f) => [f.name, f] as const))(
    '%s fills exactly its staging table columns',
    (_name, spec) => {
      const blank = Object.fromEntries(spec.columns.map((c) => [c.header, null]));
      expect(Object.keys(spec.toStaging(blank)).sort()).toEqual(
        STAGING_TABLES[spec.kind].columns.map(([n]) => n).sort(),
      );
    },
  );

  it('names are unique and every format is detected from its own header row', async () => {
    const { detectFormat } = await import('@shared/ingest/format-registry');
    expect(new Set(FORMATS.map((f) => f.name)).size).toBe(FORMATS.length);
    for (const spec of FORMATS) {
      const detected = detectFormat(spec.columns.map((c) => c.header));
      expect(detected.ok && detected.format.name, spec.name).toBe(spec.name);
      const required = detectFormat(
        spec.columns.filter((c) => !c.optionalHeader).map((c) => c.header.toUpperCase()),
      );
      expect(required.ok && required.format.name, `${spec.name} (required columns only, upper case)`).toBe(
        spec.name,
      );
    }
  });
});
