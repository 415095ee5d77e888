import Decimal from 'decimal.js';
import * as XLSX from 'xlsx';
import type { ColumnSpec, FormatSpec } from '@shared/ingest/format-spec';

/**
 * Writes import files in every format, CSV and xlsx, carrying the mess real exports carry:
 * a UTF-8 BOM, CRLF, quoted separators, quotes and newlines, thousands separators, negatives in
 * parentheses, blank trailing rows, JPY (0 decimals) and KWD (3) amounts, non-ASCII names,
 * lower-case currency and enum values, an extra column nobody asked for; in xlsx also numeric
 * and date-formatted cells. Each file comes with the canonical rows an import must produce.
 */

export type Medium = 'csv' | 'xlsx';

/** What goes in one cell: text everywhere; in xlsx, optionally a number or a date cell. */
type FixtureCell = { text: string } | { number: number } | { dateSerial: number };

export interface FixtureFile {
  fileName: string;
  bytes: Uint8Array;
  /** The canonical row (header -> text or null) each data row must import as, in order. */
  expected: Record<string, string | null>[];
}

const CURRENCY_CYCLE = ['USD', 'JPY', 'KWD', 'EUR'] as const;

const NAMES = [
  'Müller & Söhne GmbH',
  'Acme, Inc.',
  'The "Quoted" Company',
  '株式会社サンプル',
  'Line one\nline two',
  'Ørsted A/S; Nord',
  'Société Générale',
  'Plain Name',
];

const DECIMALS: ReadonlyArray<readonly [string, string]> = [
  ['1,234.567891', '1234.567891'],
  ['(42.000001)', '-42.000001'],
  ['-0.000123', '-0.000123'],
  [' 12 ', '12'],
  ['1,000,000.5', '1000000.5'],
];

const AMOUNTS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  JPY: [
    ['1,234', '1234'],
    ['(500)', '-500'],
    ['13,597', '13597'],
  ],
  KWD: [
    ['1,234.567', '1234.567'],
    ['(0.125)', '-0.125'],
    ['80.687', '80.687'],
  ],
  USD: [
    ['1,234.50', '1234.50'],
    ['(12.00)', '-12.00'],
    ['0.07', '0.07'],
  ],
};

const DATETIMES: ReadonlyArray<readonly [string, string]> = [
  ['2026-03-01T14:00:00Z', '2026-03-01T14:00:00Z'],
  ['2026-03-01 14:05:00+00:00', '2026-03-01T14:05:00+00:00'],
  ['2026-03-02T00:00:00.123Z', '2026-03-02T00:00:00.123Z'],
];

function excelSerial(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function rowCurrency(spec: FormatSpec, i: number): string {
  if (spec.defaultCurrency) return spec.defaultCurrency;
  return CURRENCY_CYCLE[i % CURRENCY_CYCLE.length] ?? 'USD';
}

/** One cell's fixture value and the canonical text it must import as. */
function cellFor(
  spec: FormatSpec,
  col: ColumnSpec,
  colIndex: number,
  i: number,
  medium: Medium,
): { cell: FixtureCell; expected: string | null } {
  const blankable = col.allowBlank || col.optionalHeader;
  if (blankable && i % 3 === 2) return { cell: { text: '' }, expected: null };
  const currency = rowCurrency(spec, i);
  const pick = <T>(list: readonly T[]): T => list[(i + colIndex) % list.length] as T;
  const asNumber = medium === 'xlsx' && i % 2 === 1;
  switch (col.type.kind) {
    case 'text': {
      const value = /(id|number|code)$/i.test(col.header)
        ? `${col.header.slice(0, 3).toUpperCase()}-${i}-${colIndex}`
        : pick(NAMES);
      return { cell: { text: value }, expected: value };
    }
    case 'decimal':
    case 'amount': {
      const list = col.type.kind === 'decimal' ? DECIMALS : (AMOUNTS[currency] ?? AMOUNTS.USD ?? []);
      const [raw, canonical] = pick(list);
      // A numeric xlsx cell holds a double: it reads back as its shortest decimal ("12.00" -> "12").
      if (asNumber)
        return { cell: { number: Number(canonical) }, expected: new Decimal(canonical).toFixed() };
      return { cell: { text: raw }, expected: canonical };
    }
    case 'currency': {
      const code = currency === spec.defaultCurrency ? 'USD' : currency;
      return { cell: { text: i % 4 === 1 ? code.toLowerCase() : code }, expected: code };
    }
    case 'date': {
      const day = `2026-03-${String(1 + (i % 9)).padStart(2, '0')}`;
      if (asNumber) return { cell: { dateSerial: excelSerial(day) }, expected: day };
      return { cell: { text: day }, expected: day };
    }
    case 'datetime': {
      const [raw, canonical] = pick(DATETIMES);
      return { cell: { text: raw }, expected: canonical };
    }
    case 'boolean':
      return i % 2 === 0
        ? { cell: { text: 'TRUE' }, expected: 'true' }
        : { cell: { text: 'no' }, expected: 'false' };
    case 'enum': {
      const value = pick(col.type.values);
      return { cell: { text: i % 3 === 0 ? value.toLowerCase() : value }, expected: value };
    }
  }
}

const EXTRA_HEADER = 'Notes (ignored)';

export interface FixtureTable {
  headers: string[];
  rows: FixtureCell[][];
  expected: Record<string, string | null>[];
}

export function fixtureTable(spec: FormatSpec, medium: Medium, rowCount = 9): FixtureTable {
  const headers = [...spec.columns.map((c) => c.header), EXTRA_HEADER];
  const rows: FixtureCell[][] = [];
  const expected: Record<string, string | null>[] = [];
  for (let i = 0; i < rowCount; i++) {
    const cells: FixtureCell[] = [];
    const exp: Record<string, string | null> = {};
    spec.columns.forEach((col, c) => {
      const { cell, expected: e } = cellFor(spec, col, c, i, medium);
      cells.push(cell);
      exp[col.header] = e;
    });
    cells.push({ text: i % 2 === 0 ? 'Vérifié, ok' : '' });
    rows.push(cells);
    expected.push(exp);
  }
  return { headers, rows, expected };
}

function csvField(value: string, forceQuote: boolean): string {
  return forceQuote || /[",\r\n;]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** RFC 4180 with a BOM, CRLF, some fields quoted for no reason, and two blank trailing rows. */
export function toCsv(table: { headers: string[]; rows: FixtureCell[][] }): Uint8Array {
  const lines = [table.headers.map((h) => csvField(h, false)).join(',')];
  table.rows.forEach((row, r) => {
    lines.push(
      row
        .map((cell, c) =>
          csvField('text' in cell ? cell.text : String(Object.values(cell)[0]), (r + c) % 5 === 0),
        )
        .join(','),
    );
  });
  lines.push(table.headers.map(() => '').join(','), '');
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

/** xlsx, first sheet; numbers as numeric cells, dates as date-formatted serials, blank rows after. */
export function toXlsx(table: { headers: string[]; rows: FixtureCell[][] }): Uint8Array {
  const aoa: string[][] = [
    table.headers,
    ...table.rows.map((r) => r.map(() => '')),
    table.headers.map(() => ''),
  ];
  const sheet = XLSX.utils.aoa_to_sheet(aoa);
  table.rows.forEach((row, r) => {
    row.forEach((cell, c) => {
      const address = XLSX.utils.encode_cell({ r: r + 1, c });
      if ('text' in cell) sheet[address] = { t: 's', v: cell.text };
      else if ('number' in cell) sheet[address] = { t: 'n', v: cell.number };
      else sheet[address] = { t: 'n', v: cell.dateSerial, z: 'yyyy-mm-dd' };
    });
  });
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Report');
  return new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

export function fixtureFile(spec: FormatSpec, medium: Medium, rowCount = 9): FixtureFile {
  const table = fixtureTable(spec, medium, rowCount);
  return {
    fileName: `${spec.name}.${medium}`,
    bytes: medium === 'csv' ? toCsv(table) : toXlsx(table),
    expected: table.expected,
  };
}
