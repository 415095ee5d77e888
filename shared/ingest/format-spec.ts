import { z } from 'zod';
import { type CellType, describeType, parseCell } from './cells';
import { decimalPlaces, minorUnits } from './precision';

export const CHANNELS = ['aws', 'azure', 'gcp', 'internal', 'bank'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The canonical record kinds; each has one staging table (server migration 0011). */
export const RECORD_KINDS = [
  'billed_line',
  'billing_event',
  'usage_line',
  'payout',
  'rate_card',
  'bank_line',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface ColumnSpec {
  /** The header as the partner writes it. Matching ignores case, spaces, '_' and '-'. */
  header: string;
  type: CellType;
  /** The header may be missing from the file (the value is then blank). */
  optionalHeader?: boolean;
  /** A blank cell is allowed (stored as null). */
  allowBlank?: boolean;
}

/** One validated row: canonical text per header, null for a blank optional cell. */
export type Row = Readonly<Record<string, string | null>>;
/** One staging-table row: column name to text (numeric, date and timestamp columns cast in SQL). */
export type StagingRecord = Record<string, string | null>;

export interface FormatSpec {
  name: string;
  title: string;
  channel: Channel;
  kind: RecordKind;
  columns: readonly ColumnSpec[];
  /** The header of the row's currency; settled `amount` columns are checked against its minor units. */
  currencyColumn?: string;
  /** The currency when the format has no currency column (e.g. AWS legacy disbursement: USD). */
  defaultCurrency?: string;
  toStaging(row: Row): StagingRecord;
}

export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/**
 * The zod schema of one row of a format: input is the row's raw cell text by header (blank
 * for a missing optional column), output the canonical row. Each issue's path is the header,
 * and its message says what was expected.
 */
export function rowSchema(spec: FormatSpec): z.ZodType<Row, Record<string, string>> {
  const shape: Record<string, z.ZodType<string | null, string>> = {};
  for (const col of spec.columns) {
    shape[col.header] = z.string().transform((raw, ctx): string | null => {
      if (raw.trim() === '') {
        if (col.allowBlank || col.optionalHeader) return null;
        ctx.addIssue({ code: 'custom', message: `is blank; expected ${describeType(col.type)}` });
        return z.NEVER;
      }
      const parsed = parseCell(raw, col.type);
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          message: `"${preview(raw)}" is not valid; expected ${parsed.expected}`,
        });
        return z.NEVER;
      }
      return parsed.value;
    });
  }
  const amountHeaders = spec.columns.filter((c) => c.type.kind === 'amount').map((c) => c.header);
  return z.object(shape).superRefine((row, ctx) => {
    const currency = (spec.currencyColumn ? row[spec.currencyColumn] : spec.defaultCurrency) ?? undefined;
    if (!currency) return;
    const places = minorUnits(currency);
    for (const header of amountHeaders) {
      const value = row[header];
      // A settled amount with more decimals than its currency has cannot be invoiced or paid.
      if (value && decimalPlaces(value) > places) {
        ctx.addIssue({
          code: 'custom',
          path: [header],
          message: `"${value}" has ${decimalPlaces(value)} decimals; expected at most ${places} for ${currency}`,
        });
      }
    }
  }) as unknown as z.ZodType<Row, Record<string, string>>;
}

function preview(raw: string): string {
  const oneLine = raw.replace(/[\r\n]+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 40)}...` : oneLine;
}

/** Small builders so format files read like the partner's column list. */
export const text = (header: string, opts: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  type: { kind: 'text' },
  ...opts,
});
export const decimal = (header: string, opts: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  type: { kind: 'decimal' },
  ...opts,
});
export const amount = (header: string, opts: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  type: { kind: 'amount' },
  ...opts,
});
export const currency = (header: string, opts: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  type: { kind: 'currency' },
  ...opts,
});
export const date = (header: string, opts: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  type: { kind: 'date' },
  ...opts,
});
export const datetime = (header: string, opts: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  type: { kind: 'datetime' },
  ...opts,
});
export const boolean = (header: string, opts: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  type: { kind: 'boolean' },
  ...opts,
});
export const oneOf = (
  header: string,
  values: readonly string[],
  opts: Partial<ColumnSpec> = {},
): ColumnSpec => ({
  header,
  type: { kind: 'enum', values },
  ...opts,
});
