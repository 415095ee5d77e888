import Decimal from 'decimal.js';
import * as XLSX from 'xlsx';
import type { ReadResult, TableRow } from './table';

/** Excel keeps 15 significant digits; a numeric cell is the double nearest to that decimal. */
const EXCEL_DIGITS = 15;
const MAX_ROWS = 1_100_000;

/**
 * The first sheet of an xlsx workbook as cell text. Text cells are taken as written. Numeric
 * cells are the one place a float exists (SheetJS hands over a JS number): the exact decimal is
 * recovered as the number rounded to 15 significant digits, Excel's own precision, so 0.1 stays
 * "0.1" and a formula's 0.30000000000000004 reads as "0.3". A value needing more digits must be
 * a text cell (as our fixture generator writes usage quantities). Numeric cells formatted as
 * dates become ISO text (dates as YYYY-MM-DD, times as UTC).
 */
export function readXlsx(bytes: Uint8Array): ReadResult {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: 'buffer',
      cellDates: false,
      cellNF: true,
      cellText: false,
      dense: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      row: 0,
      message: `the file is not a readable xlsx workbook (${reason}); expected an xlsx workbook or a UTF-8 CSV`,
    };
  }
  const sheetName = workbook.SheetNames[0];
  const sheet = sheetName === undefined ? undefined : workbook.Sheets[sheetName];
  if (!sheet || !sheet['!ref'])
    return { ok: false, row: 0, message: 'the first sheet is empty; expected a header row and data' };
  const range = XLSX.utils.decode_range(sheet['!ref']);
  if (range.e.r + 1 > MAX_ROWS) {
    return {
      ok: false,
      row: 0,
      message: `the sheet has ${range.e.r + 1} rows; expected at most ${MAX_ROWS}`,
    };
  }
  const data = (sheet as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ?? [];
  const rows: TableRow[] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const line = data[r] ?? [];
    const cells: string[] = [];
    for (let c = 0; c <= range.e.c; c++) {
      const cell = line[c];
      const text = cellText(cell);
      if (!text.ok)
        return { ok: false, row: r + 1, message: `column ${XLSX.utils.encode_col(c)}: ${text.message}` };
      cells.push(text.value);
    }
    rows.push({ number: r + 1, cells });
  }
  return { ok: true, rows };
}

/** Excel's error codes as the sheet shows them. */
const EXCEL_ERRORS: Readonly<Record<number, string>> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

export type CellText = { ok: true; value: string } | { ok: false; message: string };

export function cellText(cell: XLSX.CellObject | undefined): CellText {
  if (!cell || cell.v === undefined || cell.v === null) return { ok: true, value: '' };
  switch (cell.t) {
    case 's':
      return { ok: true, value: String(cell.v) };
    case 'b':
      return { ok: true, value: cell.v ? 'true' : 'false' };
    case 'e':
      return {
        ok: false,
        message: `the cell holds the Excel error ${EXCEL_ERRORS[cell.v as number] ?? cell.w ?? String(cell.v)}; expected a value`,
      };
    case 'd':
      return { ok: true, value: cell.v instanceof Date ? cell.v.toISOString() : String(cell.v) };
    case 'n': {
      const n = cell.v as number;
      if (typeof n !== 'number' || !Number.isFinite(n))
        return { ok: false, message: 'the cell holds a non-finite number; expected a decimal number' };
      if (cell.z !== undefined && (XLSX.SSF.is_date(cell.z) as boolean)) return serialToIso(n);
      return { ok: true, value: numberToDecimalText(n) };
    }
    default:
      return { ok: true, value: '' };
  }
}

/** The decimal a person typed into Excel, from the double Excel stored (see readXlsx). */
export function numberToDecimalText(n: number): string {
  const text = new Decimal(n.toPrecision(EXCEL_DIGITS)).toFixed();
  return text === '-0' ? '0' : text;
}

/** What SheetJS's date-code parser answers (its typings leave SSF untyped). */
interface ExcelDateParts {
  y: number;
  m: number;
  d: number;
  H: number;
  M: number;
  S: number;
}

/** Excel's calendar: serial 1 is 1900-01-01, 2958465 is 9999-12-31; anything else is no date. */
const LAST_EXCEL_SERIAL = 2_958_465;

function serialToIso(serial: number): CellText {
  const p =
    serial >= 1 && serial <= LAST_EXCEL_SERIAL
      ? (XLSX.SSF.parse_date_code(serial) as ExcelDateParts | null)
      : null;
  if (!p)
    return { ok: false, message: `the date cell holds ${serial}, outside Excel's calendar; expected a date` };
  const pad = (v: number, w = 2): string => String(v).padStart(w, '0');
  const day = `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
  if (p.H === 0 && p.M === 0 && p.S === 0) return { ok: true, value: day };
  return { ok: true, value: `${day}T${pad(p.H)}:${pad(p.M)}:${pad(Math.floor(p.S))}Z` };
}
