import { MONEY_SCALE } from '../../../shared/money';
import type { ExceptionRecord } from '../../../shared/exception';

/** Parameters of one exceptions-table row, in the column order of the upsert statement. */
export type ExceptionRowParams = [
  id: string,
  type: string,
  status: string,
  channel: string,
  priority: number,
  slaDue: number,
  openedAt: number,
  updatedAt: number,
  varianceAmount: string,
  varianceCurrency: string,
  varianceSortKey: string,
  version: number,
  searchText: string,
];

/**
 * Text the queue's free-text search looks in. Lower-cased once here so the query needs no
 * per-row lower(); the separator keeps a match from spanning two fields.
 */
export function searchTextOf(r: ExceptionRecord): string {
  return [r.id, r.customerName, r.customerId, r.partnerAccountId, r.agreementId].join('\u001f').toLowerCase();
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

export function exceptionRowParams(r: ExceptionRecord): {
  row: ExceptionRowParams;
  summary: string;
  evidence: string;
} {
  const { evidence, ...summary } = r;
  return {
    row: [
      r.id,
      r.type,
      r.status,
      r.channel,
      r.priority,
      Date.parse(r.slaDueAt),
      Date.parse(r.openedAt),
      Date.parse(r.updatedAt),
      r.variance.amount,
      r.variance.currency,
      varianceSortKey(r.variance.amount),
      r.version,
      searchTextOf(r),
    ],
    summary: JSON.stringify(summary),
    evidence: JSON.stringify(evidence),
  };
}
