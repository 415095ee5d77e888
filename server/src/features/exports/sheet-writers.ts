import * as XLSX from 'xlsx';
import { cellFor, exactDecimal, neutralise, type Sheet } from './cells';

const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * RFC 4180 CSV in UTF-8 with a BOM (so Excel reads the accents), CRLF line ends. Text cells are
 * neutralised; amounts are written as their exact decimal (a CSV cell is text: nothing rounds in
 * the file).
 */
export function toCsv(sheet: Sheet): Buffer {
  const lines = [sheet.columns.map((c) => quote(neutralise(c.header))).join(',')];
  for (const row of sheet.rows) {
    lines.push(
      sheet.columns
        .map((c, i) => {
          const v = row[i] ?? null;
          if (v === null) return '';
          return quote(c.kind === 'amount' ? exactDecimal(String(v)) : String(cellFor(c.kind, v)));
        })
        .join(','),
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * One worksheet. Cells are built by type, never from text a library might read as a formula:
 * text cells are strings (neutralised too, for whoever saves the sheet as CSV later), amounts
 * numbers or exact text by the amount rule (cells.ts), counts numbers.
 */
export function toXlsx(sheet: Sheet): Buffer {
  const aoa: (string | number | null)[][] = [sheet.columns.map((c) => c.header)];
  for (const row of sheet.rows) aoa.push(sheet.columns.map((c, i) => cellFor(c.kind, row[i] ?? null)));
  const ws = XLSX.utils.aoa_to_sheet(aoa, { cellDates: false });
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, ws, sheet.name.slice(0, 31));
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
