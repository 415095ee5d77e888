import { MONEY_SCALE } from '../../../shared/money';
import type { ExceptionRecord } from '../../../shared/exception';

const INT64_MAX = 9223372036854775807n;

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
  varianceAbsScaled: bigint,
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

const ZEROS = '0'.repeat(MONEY_SCALE);

/**
 * |amount| in 10^-MONEY_SCALE units, from the decimal string by text alone: the same integer as
 * `abs(toScaledInteger(m))` (a unit test holds them equal) at a fraction of the cost, which
 * matters when a first sync writes 100k rows. The amount is already schema-checked, so at most
 * MONEY_SCALE decimals.
 */
export function absScaledUnits(amount: string): bigint {
  const digits = amount.charCodeAt(0) === 45 /* - */ ? amount.slice(1) : amount;
  const dot = digits.indexOf('.');
  const whole = dot < 0 ? digits : digits.slice(0, dot);
  const frac = dot < 0 ? '' : digits.slice(dot + 1);
  const scaled = BigInt(whole + frac + ZEROS.slice(frac.length));
  // 20 integer digits at 10 decimals can exceed 64 bits; such amounts only need to sort last.
  return scaled > INT64_MAX ? INT64_MAX : scaled;
}

export function exceptionRowParams(r: ExceptionRecord): { row: ExceptionRowParams; summary: string; evidence: string } {
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
      absScaledUnits(r.variance.amount),
      r.version,
      searchTextOf(r),
    ],
    summary: JSON.stringify(summary),
    evidence: JSON.stringify(evidence),
  };
}
