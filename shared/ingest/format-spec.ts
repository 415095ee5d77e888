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

export interface RowIssue {
  /** The header of the column at fault. */
  column: string;
  message: string;
}

export type RowCheck = { ok: true; row: Row } | { ok: false; issues: RowIssue[] };

/**
 * The check of one row of a format: input is the row's raw cell text by header (blank for a
 * missing optional column), output the canonical row or every problem, each naming its column
 * and saying what was expected. Plain code rather than a zod schema per row: an import checks
 * 100k rows, and the schema's per-row object and issue machinery cost more than the checks.
 * `rowSchema` wraps this same function, so the two can never disagree.
 */
export function rowChecker(spec: FormatSpec): (input: Readonly<Record<string, string>>) => RowCheck {
  const amountHeaders = spec.columns.filter((c) => c.type.kind === 'amount').map((c) => c.header);
  return (input) => {
    const row: Record<string, string | null> = {};
    const issues: RowIssue[] = [];
    for (const col of spec.columns) {
      const raw = input[col.header] ?? '';
      if (raw.trim() === '') {
        if (col.allowBlank || col.optionalHeader) row[col.header] = null;
        else issues.push({ column: col.header, message: `is blank; expected ${describeType(col.type)}` });
        continue;
      }
      const parsed = parseCell(raw, col.type);
      if (parsed.ok) row[col.header] = parsed.value;
      else
        issues.push({
          column: col.header,
          message: `"${preview(raw)}" is not valid; expected ${parsed.expected}`,
        });
    }
    if (issues.length > 0) return { ok: false, issues };
    const currency = (spec.currencyColumn ? row[spec.currencyColumn] : spec.defaultCurrency) ?? undefined;
    if (currency) {
      const places = minorUnits(currency);
      for (const header of amountHeaders) {
        const value = row[header];
        // A settled amount with more decimals than its currency has cannot be invoiced or paid.
        if (value && decimalPlaces(value) > places)
          issues.push({
            column: header,
            message: `"${value}" has ${decimalPlaces(value)} decimals; expected at most ${places} for ${currency}`,
          });
      }
    }
    return issues.length > 0 ? { ok: false, issues } : { ok: true, row };
  };
}

/** The same check as a zod schema (issue path = the header), for callers that compose schemas. */
export function rowSchema(spec: FormatSpec): z.ZodType<Row, Record<string, string>> {
  const check = rowChecker(spec);
  return z.record(z.string(), z.string()).transform((input, ctx): Row => {
    const result = check(input);
    if (result.ok) return result.row;
    for (const issue of result.issues)
      ctx.addIssue({ code: 'custom', path: [issue.column], message: issue.message });
    return z.NEVER;
  });
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
