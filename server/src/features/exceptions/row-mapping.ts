import type { ExceptionRecord } from '@shared/exception';
import { exceptionRecordSchema } from '@shared/exception';
import { currencySchema, money, type Money } from '@shared/money';

/** Columns of `exceptions` in insert order; the row mapper and the batch insert both follow it. */
export const EXCEPTION_COLUMNS = [
  'id',
  'type',
  'status',
  'channel',
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
  'variance_amount',
  'variance_currency',
  'evidence',
  'priority',
  'sla_due_at',
  'opened_at',
  'updated_at',
  'assignee_id',
  'version',
] as const;

/** Casts for the positional parameters; jsonb is sent as text because pg would turn a JS array into a PG array. */
export const EXCEPTION_COLUMN_CASTS: Partial<Record<(typeof EXCEPTION_COLUMNS)[number], string>> = {
  period_start: 'date',
  period_end: 'date',
  expected_amount: 'numeric',
  actual_amount: 'numeric',
  variance_amount: 'numeric',
  evidence: 'json',
  sla_due_at: 'timestamptz',
  opened_at: 'timestamptz',
  updated_at: 'timestamptz',
};

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
  return [
    r.id,
    r.type,
    r.status,
    r.channel,
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
    r.variance.amount,
    r.variance.currency,
    JSON.stringify(r.evidence),
    r.priority,
    r.slaDueAt,
    r.openedAt,
    r.updatedAt,
    r.assigneeId,
    r.version,
  ];
}

export type ExceptionRow = Record<(typeof EXCEPTION_COLUMNS)[number], unknown>;

function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** A row as the drivers return it (NUMERIC as text, DATE as text, TIMESTAMPTZ as Date) to the shared record, validated. */
export function rowToRecord(row: ExceptionRow): ExceptionRecord {
  return exceptionRecordSchema.parse({
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
    expected: canonicalMoney(row.expected_amount, row.expected_currency),
    actual: canonicalMoney(row.actual_amount, row.actual_currency),
    variance: canonicalMoney(row.variance_amount, row.variance_currency),
    evidence: row.evidence,
    priority: row.priority,
    slaDueAt: iso(row.sla_due_at),
    openedAt: iso(row.opened_at),
    updatedAt: iso(row.updated_at),
    assigneeId: row.assignee_id,
    version: row.version,
  });
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
  const money = (prefix: string): string =>
    `json_build_object('amount', ${amountSql(c(`${prefix}_amount`))}, 'currency', ${c(`${prefix}_currency`)})`;
  return `json_build_object(
    'id', ${c('id')}, 'type', ${c('type')}, 'status', ${c('status')}, 'channel', ${c('channel')},
    'partnerAccountId', ${c('partner_account_id')}, 'customerId', ${c('customer_id')},
    'customerName', ${c('customer_name')}, 'agreementId', ${c('agreement_id')}, 'offerId', ${c('offer_id')},
    'productCode', ${c('product_code')}, 'dimension', ${c('dimension')},
    'periodStart', ${c('period_start')}::text, 'periodEnd', ${c('period_end')}::text,
    'partnerInvoiceId', ${c('partner_invoice_id')}, 'payoutId', ${c('payout_id')},
    'expected', ${money('expected')}, 'actual', ${money('actual')}, 'variance', ${money('variance')},
    'priority', ${c('priority')},
    'slaDueAt', ${isoSql(c('sla_due_at'))}, 'openedAt', ${isoSql(c('opened_at'))},
    'updatedAt', ${isoSql(c('updated_at'))}, 'assigneeId', ${c('assignee_id')}, 'version', ${c('version')}
  )::text`;
}
