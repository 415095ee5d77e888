import type { ReadResult, TableRow } from './table';

/**
 * RFC 4180 CSV with what partner exports add: a UTF-8 BOM, CRLF or LF line ends, quoted
 * separators, quotes and newlines inside quoted fields. Every cell stays text (no number or
 * date guessing: that is where floats creep in). A row is one record, so a quoted newline does
 * not shift the row numbers errors cite. The separator is the one of comma, semicolon or tab
 * that the header line uses most (some European exports use ';').
 */
export function readCsv(bytes: Uint8Array): ReadResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      row: 0,
      message: 'the file is not UTF-8 text; expected a UTF-8 CSV or an xlsx workbook',
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sep = guessSeparator(text);
  const special = new RegExp(`[${sep === '\t' ? '\\t' : sep}"\\r\\n]`, 'g');
  const rows: TableRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let quotedCell = false;
  let rowNumber = 1;
  let i = 0;
  const endCell = (): void => {
    cells.push(cell);
    cell = '';
    quotedCell = false;
  };
  const endRow = (): void => {
    endCell();
    rows.push({ number: rowNumber, cells });
    cells = [];
    rowNumber += 1;
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i += 1;
        const next = text[i];
        if (next !== undefined && next !== sep && next !== '\r' && next !== '\n') {
          return {
            ok: false,
            row: rowNumber,
            message: `a closing quote is followed by "${next}"; expected a separator or the end of the line (a quote inside a quoted field is written "")`,
          };
        }
        continue;
      }
      // Copy up to the next quote in one step (quoted text is taken as is).
      const close = text.indexOf('"', i);
      const stop = close < 0 ? text.length : close;
      cell += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '"' && cell.trim() === '' && !quotedCell) {
      inQuotes = true;
      quotedCell = true;
      cell = '';
      i += 1;
      continue;
    }
    if (ch === sep) {
      endCell();
      i += 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    // Copy up to the next separator, quote or line end in one step.
    special.lastIndex = i + 1;
    const hit = special.exec(text);
    const stop = hit ? hit.index : text.length;
    cell += text.slice(i, stop);
    i = stop;
  }
  if (inQuotes) {
    return {
      ok: false,
      row: rowNumber,
      message: 'a quoted field is never closed; expected a closing quote before the end of the file',
    };
  }
  // A last line without a line end is still a row; an empty remainder is not.
  if (cell !== '' || cells.length > 0 || quotedCell) endRow();
  return { ok: true, rows };
}

function guessSeparator(text: string): string {
  const end = text.search(/\r|\n/);
  const header = end < 0 ? text : text.slice(0, end);
  let best = ',';
  let bestCount = count(header, ',');
  for (const candidate of [';', '\t']) {
    const n = count(header, candidate);
    if (n > bestCount) {
      best = candidate;
      bestCount = n;
    }
  }
  return best;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n += 1;
  return n;
}
