import type { ExceptionRecord } from '@shared/exception';
import { exceptionRecordSchema } from '@shared/exception';
import { currencySchema, money, type Money } from '@shared/money';
import {
  EXCEPTION_FIELDS,
  fieldColumns,
  fieldsOfRow,
  fieldValues,
  SUMMARY_FIELDS,
  type FieldCodec,
  type FieldDecoders,
} from '@shared/exception-fields';

/** Columns of `exceptions` in insert order; the row mapper and the batch insert both follow it. */
export const EXCEPTION_COLUMNS: readonly string[] = fieldColumns(EXCEPTION_FIELDS);

const CAST_OF: Partial<Record<FieldCodec, string>> = { date: 'date', instant: 'timestamptz', json: 'json' };

/** Casts for the positional parameters; jsonb is sent as text because pg would turn a JS array into a PG array. */
export const EXCEPTION_COLUMN_CASTS: Readonly<Record<string, string>> = Object.fromEntries(
  EXCEPTION_FIELDS.flatMap((f): [string, string][] => {
    if (f.codec === 'money') return [[`${f.column}_amount`, 'numeric']];
    const cast = CAST_OF[f.codec];
    return cast ? [[f.column, cast]] : [];
  }),
);

/**
 * The canonical form we store and send: amounts re-written by shared/money.ts (no trailing
 * zeros), so what a client gets back from NUMERIC(30,10) equals what was written.
 */
export function canonicalRecord(record: ExceptionRecord): ExceptionRecord {
  const canon = (m: Money): Money => money(m.amount, m.currency);
  return {
    ...record,
    expected: canon(record.expected),
    actual: canon(record.actual),
    variance: canon(record.variance),
  };
}

export function recordToParams(r: ExceptionRecord): unknown[] {
  return fieldValues(r, EXCEPTION_FIELDS);
}

export type ExceptionRow = Record<string, unknown>;

function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** What the drivers return (NUMERIC as text, DATE as text, TIMESTAMPTZ as Date), read as the record has it. */
const SERVER_DECODERS: FieldDecoders = {
  instant: (row, c) => iso(row[c]),
  money: (row, c) => canonicalMoney(row[`${c}_amount`], row[`${c}_currency`]),
};

/** A row as the drivers return it to the shared record, validated. */
export function rowToRecord(row: ExceptionRow): ExceptionRecord {
  return exceptionRecordSchema.parse(fieldsOfRow(row, EXCEPTION_FIELDS, SERVER_DECODERS));
}

function canonicalMoney(amount: unknown, currency: unknown): unknown {
  // NUMERIC arrives as text ("12.3400000000"); money() re-canonicalises it without a float.
  if (typeof amount !== 'string') return { amount, currency };
  const parsed = currencySchema.safeParse(currency);
  return parsed.success ? money(amount, parsed.data) : { amount, currency };
}

/** An ISO-8601 UTC text exactly as Date.prototype.toISOString writes it (milliseconds, `Z`). */
const isoSql = (column: string): string =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** NUMERIC without trailing zeros, as text: what money() makes of it (numeric has no -0). */
const amountSql = (column: string): string => `trim_scale(${column})::text`;

/**
 * SQL for the JSON text of the exception row aliased `alias` without its evidence (the summary
 * the change feed carries), equal to JSON.stringify of rowToRecord's result minus `evidence` up
 * to key order and whitespace (test/server/database.test.ts holds the two to that). The pull
 * builds its response from it, so PostgreSQL writes the record once and this process does not
 * encode it again. No re-validation: rows are validated on their way in.
 */
export function exceptionSummaryJsonSql(alias: string): string {
  const c = (column: string): string => `${alias}.${column}`;
  const value: Record<FieldCodec, (column: string) => string> = {
    text: c,
    int: c,
    json: c,
    date: (column) => `${c(column)}::text`,
    instant: (column) => isoSql(c(column)),
    money: (column) =>
      `json_build_object('amount', ${amountSql(c(`${column}_amount`))}, 'currency', ${c(`${column}_currency`)})`,
  };
  const pairs = SUMMARY_FIELDS.map((f) => `'${f.key}', ${value[f.codec](f.column)}`);
  return `json_build_object(${pairs.join(', ')})::text`;
}
