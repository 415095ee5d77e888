import { toScaledInteger } from '../../../shared/money';
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
  summary: string,
];

/**
 * Text the queue's free-text search looks in. Lower-cased once here so the query needs no
 * per-row lower(); the separator keeps a match from spanning two fields.
 */
export function searchTextOf(r: ExceptionRecord): string {
  return [r.id, r.customerName, r.customerId, r.partnerAccountId, r.agreementId].join('\u001f').toLowerCase();
}

function absScaled(amount: string, currency: ExceptionRecord['variance']['currency']): bigint {
  const scaled = toScaledInteger({ amount, currency });
  const abs = scaled < 0n ? -scaled : scaled;
  // 20 integer digits at 10 decimals can exceed 64 bits; such amounts only need to sort last.
  return abs > INT64_MAX ? INT64_MAX : abs;
}

export function exceptionRowParams(r: ExceptionRecord): { row: ExceptionRowParams; evidence: string } {
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
      absScaled(r.variance.amount, r.variance.currency),
      r.version,
      searchTextOf(r),
      JSON.stringify(summary),
    ],
    evidence: JSON.stringify(evidence),
  };
}
