import {
  type FormatSpec,
  normalizeHeader,
  type Row,
  rowChecker,
  type StagingRecord,
} from '@shared/ingest/format-spec';
import { detectFormat, formatByName, FORMAT_NAMES, missingHeaders } from '@shared/ingest/format-registry';
import type { ImportProblem } from '@shared/ingest/summary';
import type { TableRow } from './table';

export interface StagedRow {
  rowNumber: number;
  row: Row;
  staging: StagingRecord;
}

export type Validation =
  | { ok: true; format: FormatSpec; rows: StagedRow[] }
  | { ok: false; format: FormatSpec | null; problems: ImportProblem[]; moreProblems?: number };

/** Problems kept per file; beyond this they are only counted (a wrong format can fail every row). */
const KEEP_PROBLEMS = 1_000;

const isBlank = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

/**
 * Applies a format to a table: the header row picks (or checks) the format, then every data
 * row must pass the format's row schema. All problems are collected, so one run lists what to
 * fix; any problem rejects the whole file.
 */
export function validateTable(file: string, table: readonly TableRow[], forced?: string): Validation {
  const problem = (row: number, column: string, message: string): ImportProblem => ({
    file,
    row,
    column,
    message,
  });
  // Blank rows after the data are what spreadsheets leave behind; they are not data.
  let end = table.length;
  while (end > 0 && isBlank(table[end - 1]?.cells ?? [])) end -= 1;
  const header = table[0];
  if (!header || end === 0)
    return {
      ok: false,
      format: null,
      problems: [problem(0, '-', 'the file has no header row; expected the column names on row 1')],
    };
  if (isBlank(header.cells)) {
    return {
      ok: false,
      format: null,
      problems: [problem(header.number, '-', 'row 1 is blank; expected the header row')],
    };
  }

  const headers = header.cells.map((c) => c.replace(/^\uFEFF/, '').trim());
  const seen = new Map<string, number>();
  const problems: ImportProblem[] = [];
  headers.forEach((h, i) => {
    const key = normalizeHeader(h);
    if (key === '') return;
    if (seen.has(key))
      problems.push(
        problem(header.number, h, 'the column appears twice in the header row; expected each column once'),
      );
    seen.set(key, i);
  });
  if (problems.length > 0) return { ok: false, format: null, problems };

  let format: FormatSpec;
  if (forced) {
    const spec = formatByName(forced);
    if (!spec)
      return {
        ok: false,
        format: null,
        problems: [problem(0, '-', `unknown format "${forced}"; expected one of ${FORMAT_NAMES.join(', ')}`)],
      };
    const missing = missingHeaders(spec, new Set(seen.keys()));
    if (missing.length > 0) {
      return {
        ok: false,
        format: spec,
        problems: missing.map((m) =>
          problem(
            header.number,
            m,
            `the column is missing from the header row; expected it for ${spec.name}`,
          ),
        ),
      };
    }
    format = spec;
  } else {
    const detected = detectFormat(headers);
    if (!detected.ok)
      return { ok: false, format: null, problems: [problem(header.number, '-', detected.message)] };
    format = detected.format;
  }

  const check = rowChecker(format);
  const columnIndex = format.columns.map((c) => [c.header, seen.get(normalizeHeader(c.header))] as const);
  const headerKey = headers.map(normalizeHeader).join('\u0000');
  const firstHeader = normalizeHeader(headers[0] ?? '');
  const rows: StagedRow[] = [];
  let uncounted = 0;
  const report = (p: ImportProblem): void => {
    if (problems.length < KEEP_PROBLEMS) problems.push(p);
    else uncounted += 1;
  };
  for (const tableRow of table.slice(1, end)) {
    const at = tableRow.number;
    if (isBlank(tableRow.cells)) {
      report(
        problem(
          at,
          '-',
          'the row is blank between data rows; expected data (blank rows may only trail the data)',
        ),
      );
      continue;
    }
    // Compared only when the first cell is the first header: normalising every cell of every row
    // was a third of the check's time.
    if (
      normalizeHeader(tableRow.cells[0] ?? '') === firstHeader &&
      tableRow.cells.map(normalizeHeader).join('\u0000') === headerKey
    ) {
      report(
        problem(at, '-', 'the row repeats the header row; expected data (were two files joined together?)'),
      );
      continue;
    }
    const extra = tableRow.cells.slice(headers.length).some((c) => c.trim() !== '');
    if (extra) {
      report(
        problem(
          at,
          '-',
          `the row has ${tableRow.cells.length} cells; expected at most ${headers.length}, one per header column`,
        ),
      );
      continue;
    }
    const input: Record<string, string> = {};
    for (const [name, index] of columnIndex)
      input[name] = index === undefined ? '' : (tableRow.cells[index] ?? '');
    const parsed = check(input);
    if (!parsed.ok) {
      for (const issue of parsed.issues) report(problem(at, issue.column, issue.message));
      continue;
    }
    rows.push({ rowNumber: at, row: parsed.row, staging: format.toStaging(parsed.row) });
  }
  if (problems.length > 0) return { ok: false, format, problems, moreProblems: uncounted };
  return { ok: true, format, rows };
}
