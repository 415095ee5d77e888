import { parseDecimalText } from './decimal-text';
import { isKnownCurrency } from './precision';

/**
 * What a column of an import file holds, and how one cell's text becomes a canonical value.
 * Every value stays text: decimals as exact decimal strings, dates as ISO-8601 text.
 */
export type CellType =
  | { kind: 'text' }
  | { kind: 'decimal' }
  /** A settled amount: at most the minor units of the row's currency (checked per row). */
  | { kind: 'amount' }
  | { kind: 'currency' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] };

export type CellResult = { ok: true; value: string } | { ok: false; expected: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const MAX_TEXT = 500;

function validCalendarDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  // Days in the month, leap years included, by integer arithmetic (Date would roll over).
  const year = Number(y);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** C0 controls other than tab, LF and CR, or U+FFFD: a binary or mis-decoded file. */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) return true;
  }
  return false;
}

export function describeType(type: CellType): string {
  switch (type.kind) {
    case 'text':
      return 'text';
    case 'decimal':
    case 'amount':
      return 'a decimal number';
    case 'currency':
      return 'an ISO 4217 currency code such as USD, JPY or KWD';
    case 'date':
      return 'a date as YYYY-MM-DD';
    case 'datetime':
      return 'an ISO-8601 date and time with a zone, such as 2026-03-01T14:00:00Z';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${type.values.join(', ')}`;
  }
}

/** Parses one non-empty cell. Blank cells are handled by the caller (required or not). */
export function parseCell(raw: string, type: CellType): CellResult {
  const s = raw.trim();
  switch (type.kind) {
    case 'text':
      // Control characters other than tab and newline mean a binary or mis-encoded file.
      if (hasControlCharacter(s))
        return { ok: false, expected: 'text without control characters (is the file UTF-8?)' };
      if (s.length > MAX_TEXT) return { ok: false, expected: `text of at most ${MAX_TEXT} characters` };
      return { ok: true, value: s.normalize('NFC') };
    case 'decimal':
    case 'amount':
      return parseDecimalText(s);
    case 'currency': {
      const code = s.toUpperCase();
      return /^[A-Z]{3}$/.test(code) && isKnownCurrency(code)
        ? { ok: true, value: code }
        : { ok: false, expected: describeType(type) };
    }
    case 'date': {
      const m = DATE.exec(s);
      return m && validCalendarDate(m[1] ?? '', m[2] ?? '', m[3] ?? '')
        ? { ok: true, value: s }
        : { ok: false, expected: describeType(type) };
    }
    case 'datetime': {
      const m = DATETIME.exec(s);
      const valid =
        m &&
        validCalendarDate(m[1] ?? '', m[2] ?? '', m[3] ?? '') &&
        Number(m[4]) < 24 &&
        Number(m[5]) < 60 &&
        Number(m[6] ?? '0') < 60;
      return valid ? { ok: true, value: s.replace(' ', 'T') } : { ok: false, expected: describeType(type) };
    }
    case 'boolean': {
      const b = s.toLowerCase();
      if (b === 'true' || b === '1' || b === 'yes') return { ok: true, value: 'true' };
      if (b === 'false' || b === '0' || b === 'no') return { ok: true, value: 'false' };
      return { ok: false, expected: describeType(type) };
    }
    case 'enum': {
      const hit = type.values.find((v) => v.toLowerCase() === s.toLowerCase());
      return hit ? { ok: true, value: hit } : { ok: false, expected: describeType(type) };
    }
  }
}
