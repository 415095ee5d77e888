import { MONEY_SCALE } from '@shared/money';
import type { ExceptionSummary } from '@shared/exception';
import type { Currency } from '@shared/money';
import type { ExceptionStatus } from '@shared/exception-status';
import type { Channel, ExceptionType } from '@shared/exception-types';

/** Parameters of one exceptions-table row, in the column order of EXCEPTION_COLUMNS. */
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

export const EXCEPTION_COLUMNS = [
  'id',
  'type',
  'status',
  'channel',
  'priority',
  'sla_due',
  'opened_at',
  'updated_at',
  'variance_amount',
  'variance_currency',
  'variance_sort_key',
  'version',
  'search_text',
] as const;

/**
 * Parameters of one exception_docs row: rid, then DOC_COLUMNS in order: the
 * summary fields the narrow row does not hold exactly (evidence lives apart, in
 * exception_evidence, and only for some rows). The ISO times
 * are kept as sent (the narrow row's epoch milliseconds would lose an offset's spelling).
 */
export type ExceptionDocParams = [
  rid: number,
  partnerAccountId: string,
  customerId: string,
  customerName: string,
  agreementId: string,
  offerId: string | null,
  productCode: string,
  dimension: string | null,
  periodStart: string,
  periodEnd: string,
  partnerInvoiceId: string | null,
  payoutId: string | null,
  expectedAmount: string,
  expectedCurrency: string,
  actualAmount: string,
  actualCurrency: string,
  slaDueAt: string,
  openedAt: string,
  updatedAt: string,
  assigneeId: string | null,
];

export const DOC_COLUMNS = [
  'partner_account_id',
  'customer_id',
  'customer_name',
  'agreement_id',
  'offer_id',
  'product_code',
  'dimension',
  'period_start',
  'period_end',
  'partner_invoice_id',
  'payout_id',
  'expected_amount',
  'expected_currency',
  'actual_amount',
  'actual_currency',
  'sla_due_iso',
  'opened_at_iso',
  'updated_at_iso',
  'assignee_id',
] as const;

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

export function exceptionRowParams(r: ExceptionSummary): ExceptionRowParams {
  return [
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
  ];
}

export function exceptionDocParams(rid: number, r: ExceptionSummary): ExceptionDocParams {
  return [
    rid,
    r.partnerAccountId,
    r.customerId,
    r.customerName,
    r.agreementId,
    r.offerId,
    r.productCode,
    r.dimension,
    r.periodStart,
    r.periodEnd,
    r.partnerInvoiceId,
    r.payoutId,
    r.expected.amount,
    r.expected.currency,
    r.actual.amount,
    r.actual.currency,
    r.slaDueAt,
    r.openedAt,
    r.updatedAt,
    r.assigneeId,
  ];
}

/** The columns SUMMARY_SELECT reads; values were schema-checked when written, so no re-parse. */
export interface SummaryRow {
  id: string;
  type: ExceptionType;
  status: ExceptionStatus;
  channel: Channel;
  priority: number;
  variance_amount: string;
  variance_currency: Currency;
  version: number;
  partner_account_id: string;
  customer_id: string;
  customer_name: string;
  agreement_id: string;
  offer_id: string | null;
  product_code: string;
  dimension: string | null;
  period_start: string;
  period_end: string;
  partner_invoice_id: string | null;
  payout_id: string | null;
  expected_amount: string;
  expected_currency: Currency;
  actual_amount: string;
  actual_currency: Currency;
  sla_due_iso: string;
  opened_at_iso: string;
  updated_at_iso: string;
  assignee_id: string | null;
}

/** Narrow row `e` joined to its documents `d`: every column a summary is rebuilt from. */
export const SUMMARY_SELECT = `e.id, e.type, e.status, e.channel, e.priority, e.variance_amount, e.variance_currency, e.version, ${DOC_COLUMNS.map(
  (c) => `d.${c}`,
).join(', ')}`;

export function summaryOfRow(row: SummaryRow): ExceptionSummary {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    channel: row.channel,
    partnerAccountId: row.partner_account_id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    agreementId: row.agreement_id,
    offerId: row.offer_id,
    productCode: row.product_code,
    dimension: row.dimension,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    partnerInvoiceId: row.partner_invoice_id,
    payoutId: row.payout_id,
    expected: { amount: row.expected_amount, currency: row.expected_currency },
    actual: { amount: row.actual_amount, currency: row.actual_currency },
    variance: { amount: row.variance_amount, currency: row.variance_currency },
    priority: row.priority,
    slaDueAt: row.sla_due_iso,
    openedAt: row.opened_at_iso,
    updatedAt: row.updated_at_iso,
    assigneeId: row.assignee_id,
    version: row.version,
  };
}
