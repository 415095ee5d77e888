/**
 * Decimal numbers as partners write them, turned into exact decimal text without ever passing
 * through a float: thousands separators ("1,234.50"), negatives in parentheses ("(12.00)") or
 * with a sign, surrounding spaces. The digits after the point are kept as written, so a usage
 * line's 6+ decimals and an invoice's 2 both survive exactly.
 */

const PLAIN = /^(\d+)(?:\.(\d+))?$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;
const LEADING_POINT = /^\.(\d+)$/;

/** At most this many digits in all: numeric(38, 18)-sized values cover every real amount. */
const MAX_INTEGER_DIGITS = 20;
const MAX_FRACTION_DIGITS = 18;

export type DecimalTextResult = { ok: true; value: string } | { ok: false; expected: string };

const EXPECTED = 'a decimal number such as 1234.56, 1,234.56, -12.5 or (12.50)';

export function parseDecimalText(raw: string): DecimalTextResult {
  let s = raw.trim();
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  } else if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  let intPart: string;
  let fracPart: string | undefined;
  const plain = PLAIN.exec(s);
  const grouped = plain ? null : GROUPED.exec(s);
  const leading = plain || grouped ? null : LEADING_POINT.exec(s);
  if (plain) {
    intPart = plain[1] ?? '';
    fracPart = plain[2];
  } else if (grouped) {
    intPart = (grouped[1] ?? '').replaceAll(',', '');
    fracPart = grouped[2];
  } else if (leading) {
    intPart = '0';
    fracPart = leading[1];
  } else {
    return { ok: false, expected: EXPECTED };
  }
  intPart = intPart.replace(/^0+(?=\d)/, '');
  if (intPart.length > MAX_INTEGER_DIGITS || (fracPart?.length ?? 0) > MAX_FRACTION_DIGITS) {
    return {
      ok: false,
      expected: `a decimal number of at most ${MAX_INTEGER_DIGITS} digits before the point and ${MAX_FRACTION_DIGITS} after`,
    };
  }
  const digits = fracPart === undefined ? intPart : `${intPart}.${fracPart}`;
  const isZero = /^[0.]*$/.test(digits);
  return { ok: true, value: negative && !isZero ? `-${digits}` : digits };
}
