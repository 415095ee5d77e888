import Decimal from 'decimal.js';

/**
 * What a column holds. `text` is anything a person or a partner wrote (or could have): it is
 * neutralised. `amount` is a decimal string out of NUMERIC (its currency is its own column).
 * `count` a whole number, `time` an ISO instant, `day` an ISO date: ours, never neutralised.
 */
export type ColumnKind = 'text' | 'amount' | 'count' | 'time' | 'day';

export interface Column {
  header: string;
  kind: ColumnKind;
}

export type CellValue = string | number | null;

export interface Sheet {
  name: string;
  columns: readonly Column[];
  rows: CellValue[][];
}

/** A spreadsheet reads a cell starting with one of these as a formula (or as the start of one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell as a spreadsheet must show it: a leading apostrophe before `=`, `+`, `-`, `@`,
 * tab or carriage return (the OWASP CSV-injection rule), so `=HYPERLINK(...)` from a partner
 * file is shown as text and never evaluated. Applied to every text cell, in CSV and xlsx alike.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Excel keeps 15 significant digits; a number with more would not read back as written. */
const EXCEL_DIGITS = 15;

/**
 * The amount rule: a numeric cell when the decimal has at most 15 significant digits (the double
 * Excel stores then shows exactly that decimal), else the exact decimal as text, so no export
 * ever rounds an amount. Usage lines at 10 decimals (1234.5678901234) stay text; settled amounts
 * (minor units) are numbers a spreadsheet can sum.
 */
export function amountCell(decimal: string): number | string {
  const d = new Decimal(decimal);
  if (d.precision(true) <= EXCEL_DIGITS) return d.toNumber();
  return d.toFixed();
}

/** The exact decimal in its shortest form (NUMERIC text carries trailing zeros). */
export function exactDecimal(decimal: string): string {
  return new Decimal(decimal).toFixed();
}

/** A cell of a column, for the xlsx writer (typed) and the CSV writer (text). */
export function cellFor(kind: ColumnKind, value: CellValue): CellValue {
  if (value === null) return null;
  switch (kind) {
    case 'text':
      return neutralise(String(value));
    case 'amount':
      return amountCell(String(value));
    case 'count':
      return typeof value === 'number' ? value : Number(value);
    default:
      return String(value);
  }
}
