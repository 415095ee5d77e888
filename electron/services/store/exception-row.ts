import { MONEY_SCALE } from '@shared/money';
import type { ExceptionRecord, ExceptionSummary } from '@shared/exception';
import {
  fieldColumns,
  fieldsOfRow,
  fieldValues,
  SUMMARY_FIELDS,
  type ExceptionField,
} from '@shared/exception-fields';

/*
 * The desktop store keeps a summary in two rows: the narrow `exceptions` row (what the queue
 * filters and sorts on, times as epoch milliseconds, plus derived sort and search keys) and its
 * `exception_docs` row (the rest, times as the ISO text sent, which epoch milliseconds would lose
 * an offset's spelling of). Both derive from the shared field list (shared/exception-fields.ts).
 */

/** The desktop's own names for the times: epoch milliseconds in the narrow row, ISO text in the docs row. */
const TIME_COLUMNS: Partial<Record<keyof ExceptionRecord, { epoch: string; iso: string }>> = {
  slaDueAt: { epoch: 'sla_due', iso: 'sla_due_iso' },
  openedAt: { epoch: 'opened_at', iso: 'opened_at_iso' },
  updatedAt: { epoch: 'updated_at', iso: 'updated_at_iso' },
};

/**
 * The narrow row's fields, in its column order (the order version 1 laid out; a test writes a
 * version-2 file with it): times as epoch milliseconds, the derived sort key after the variance,
 * the search text last.
 */
const NARROW_HEAD: readonly (keyof ExceptionRecord)[] = [
  'id',
  'type',
  'status',
  'channel',
  'priority',
  'slaDueAt',
  'openedAt',
  'updatedAt',
  'variance',
];
const NARROW_TAIL: readonly (keyof ExceptionRecord)[] = ['version'];
/** Summary fields the narrow row holds as they are (not the docs row's). */
const NARROW = new Set([...NARROW_HEAD, ...NARROW_TAIL].filter((k) => !(k in TIME_COLUMNS)));

function timeColumns(f: ExceptionField): { epoch: string; iso: string } {
  const columns = TIME_COLUMNS[f.key];
  if (!columns) throw new Error(`exception field ${f.key} is a time with no desktop column`);
  return columns;
}

function fieldOf(key: keyof ExceptionRecord): ExceptionField {
  const field = SUMMARY_FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`no summary field ${key}`);
  return field.codec === 'instant' ? { ...field, column: timeColumns(field).epoch } : field;
}
const NARROW_HEAD_FIELDS = NARROW_HEAD.map(fieldOf);
const NARROW_TAIL_FIELDS = NARROW_TAIL.map(fieldOf);
/** The summary's fields as the desktop reads them back (times from the docs row's ISO text). */
const READ_FIELDS = SUMMARY_FIELDS.map((f) =>
  f.codec === 'instant' ? { ...f, column: timeColumns(f).iso } : f,
);
const DOC_FIELDS = READ_FIELDS.filter((f) => !NARROW.has(f.key));

/** Parameters of one exceptions-table row, in the column order of EXCEPTION_COLUMNS. */
export type ExceptionRowParams = [id: string, ...rest: unknown[]];

export const EXCEPTION_COLUMNS: readonly string[] = [
  ...fieldColumns(NARROW_HEAD_FIELDS),
  'variance_sort_key',
  ...fieldColumns(NARROW_TAIL_FIELDS),
  'search_text',
];

/** Parameters of one exception_docs row: rid, then DOC_COLUMNS in order (evidence lives apart, in exception_evidence). */
export type ExceptionDocParams = [rid: number, ...values: unknown[]];

export const DOC_COLUMNS: readonly string[] = fieldColumns(DOC_FIELDS);

/**
 * The row's own text the queue's free-text search looks in (and the trigram index,
 * exception_search, indexes): the id and the partner invoice id, which are (nearly) unique per
 * row. Lower-cased once here so the query needs no per-row lower(); the separator keeps a match
 * from spanning two fields. The fields that repeat across rows are in partyTextOf.
 */
export function searchTextOf(r: ExceptionSummary): string {
  return `${r.id}\u001f${r.partnerInvoiceId ?? ''}`.toLowerCase();
}

/**
 * The searched fields a row shares with many others (customer name and id, partner account,
 * agreement): stored and trigram-indexed once per distinct value in search_parties (migration
 * 10), the row naming it in exceptions.party.
 */
export function partyTextOf(r: ExceptionSummary): string {
  return `${r.customerName}\u001f${r.customerId}\u001f${r.partnerAccountId}\u001f${r.agreementId}`.toLowerCase();
}

const WHOLE_DIGITS = 20; // decimalStringSchema allows at most 20 integer digits
const ZEROS = '0'.repeat(Math.max(WHOLE_DIGITS, MONEY_SCALE));

/**
 * |amount| as fixed-width text (20 integer digits, MONEY_SCALE decimals, no sign), which sorts
 * as text exactly as the amounts sort as numbers over the whole range the money schema allows.
 * A 64-bit integer of 10^-10 units would overflow above about 922 million, and a float would
 * round. Built from the schema-checked decimal string by text alone.
 */
export function varianceSortKey(amount: string): string {
  const digits = amount.charCodeAt(0) === 45 /* - */ ? amount.slice(1) : amount;
  const dot = digits.indexOf('.');
  const whole = dot < 0 ? digits : digits.slice(0, dot);
  const frac = dot < 0 ? '' : digits.slice(dot + 1);
  return (
    ZEROS.slice(0, WHOLE_DIGITS - whole.length) + whole + frac + ZEROS.slice(0, MONEY_SCALE - frac.length)
  );
}

const EPOCH = { instant: (iso: unknown): number => Date.parse(iso as string) };

export function exceptionRowParams(r: ExceptionSummary): ExceptionRowParams {
  return [
    ...(fieldValues(r, NARROW_HEAD_FIELDS, EPOCH) as ExceptionRowParams),
    varianceSortKey(r.variance.amount),
    ...fieldValues(r, NARROW_TAIL_FIELDS),
    searchTextOf(r),
  ];
}

export function exceptionDocParams(rid: number, r: ExceptionSummary): ExceptionDocParams {
  return [rid, ...fieldValues(r, DOC_FIELDS)];
}

/** The columns SUMMARY_SELECT reads; values were schema-checked when written, so no re-parse. */
export type SummaryRow = Record<string, string | number | null>;

/** Narrow row `e` joined to its documents `d`: every column a summary is rebuilt from. */
export const SUMMARY_SELECT = READ_FIELDS.flatMap((f) =>
  fieldColumns([f]).map((c) => `${NARROW.has(f.key) ? 'e' : 'd'}.${c}`),
).join(', ');

export function summaryOfRow(row: SummaryRow): ExceptionSummary {
  return fieldsOfRow(row, READ_FIELDS) as unknown as ExceptionSummary;
}
