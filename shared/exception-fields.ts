import type { ExceptionRecord } from './exception';

/**
 * How a field is stored: `money` takes two columns (`<column>_amount`, `<column>_currency`);
 * `instant` is an ISO-8601 time, `date` an ISO day, `json` a document (the evidence).
 */
export type FieldCodec = 'text' | 'int' | 'date' | 'instant' | 'money' | 'json';

export interface ExceptionField {
  key: keyof ExceptionRecord;
  column: string;
  codec: FieldCodec;
}

/**
 * The exception's fields, one entry each: its property, its column (the server's `exceptions`
 * table; the desktop store renames a few, see electron/services/store/exception-row.ts) and how
 * it is stored. Both sides' row mapping (insert order, SELECT lists, row → record) derive from
 * this list, so a new field is one line here plus a migration on each side.
 */
export const EXCEPTION_FIELDS: readonly ExceptionField[] = [
  { key: 'id', column: 'id', codec: 'text' },
  { key: 'type', column: 'type', codec: 'text' },
  { key: 'status', column: 'status', codec: 'text' },
  { key: 'channel', column: 'channel', codec: 'text' },
  { key: 'partnerAccountId', column: 'partner_account_id', codec: 'text' },
  { key: 'customerId', column: 'customer_id', codec: 'text' },
  { key: 'customerName', column: 'customer_name', codec: 'text' },
  { key: 'agreementId', column: 'agreement_id', codec: 'text' },
  { key: 'offerId', column: 'offer_id', codec: 'text' },
  { key: 'productCode', column: 'product_code', codec: 'text' },
  { key: 'dimension', column: 'dimension', codec: 'text' },
  { key: 'periodStart', column: 'period_start', codec: 'date' },
  { key: 'periodEnd', column: 'period_end', codec: 'date' },
  { key: 'partnerInvoiceId', column: 'partner_invoice_id', codec: 'text' },
  { key: 'payoutId', column: 'payout_id', codec: 'text' },
  { key: 'expected', column: 'expected', codec: 'money' },
  { key: 'actual', column: 'actual', codec: 'money' },
  { key: 'variance', column: 'variance', codec: 'money' },
  { key: 'evidence', column: 'evidence', codec: 'json' },
  { key: 'priority', column: 'priority', codec: 'int' },
  { key: 'slaDueAt', column: 'sla_due_at', codec: 'instant' },
  { key: 'openedAt', column: 'opened_at', codec: 'instant' },
  { key: 'updatedAt', column: 'updated_at', codec: 'instant' },
  { key: 'assigneeId', column: 'assignee_id', codec: 'text' },
  { key: 'version', column: 'version', codec: 'int' },
];

/** The summary's fields (the record less its evidence): what the feed and the desktop queue hold. */
export const SUMMARY_FIELDS: readonly ExceptionField[] = EXCEPTION_FIELDS.filter((f) => f.key !== 'evidence');

/** The columns of these fields in order (a money field gives its amount, then its currency). */
export function fieldColumns(fields: readonly ExceptionField[]): string[] {
  return fields.flatMap((f) =>
    f.codec === 'money' ? [`${f.column}_amount`, `${f.column}_currency`] : [f.column],
  );
}

interface MoneyValue {
  amount: string;
  currency: string;
}

/**
 * Parameter values in fieldColumns order; a document is sent as JSON text. `encode` reads a
 * codec the caller stores otherwise (the desktop's epoch milliseconds). A plain loop: it runs
 * once a row on a bulk load.
 */
export function fieldValues(
  record: Partial<Record<keyof ExceptionRecord, unknown>>,
  fields: readonly ExceptionField[],
  encode: Partial<Record<FieldCodec, (value: unknown) => unknown>> = {},
): unknown[] {
  const out: unknown[] = [];
  for (const f of fields) {
    const value = record[f.key];
    const own = encode[f.codec];
    if (own) out.push(own(value));
    else if (f.codec === 'money') out.push((value as MoneyValue).amount, (value as MoneyValue).currency);
    else out.push(f.codec === 'json' ? JSON.stringify(value) : value);
  }
  return out;
}

/** How one side reads a codec's column(s) back (the drivers differ: a Date, NUMERIC text, ...). */
export type FieldDecoders = Partial<
  Record<FieldCodec, (row: Readonly<Record<string, unknown>>, column: string) => unknown>
>;

const DEFAULT_DECODERS: Required<FieldDecoders> = {
  text: (row, c) => row[c],
  int: (row, c) => row[c],
  date: (row, c) => row[c],
  instant: (row, c) => row[c],
  json: (row, c) => row[c],
  money: (row, c) => ({ amount: row[`${c}_amount`], currency: row[`${c}_currency`] }),
};

/** The record's properties read from a row by the fields' columns (unchecked: callers parse or trust). */
export function fieldsOfRow(
  row: Readonly<Record<string, unknown>>,
  fields: readonly ExceptionField[],
  decoders: FieldDecoders = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.key] = (decoders[f.codec] ?? DEFAULT_DECODERS[f.codec])(row, f.column);
  return out;
}
