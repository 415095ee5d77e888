/**
 * Exact decimal text from a safe integer count of 10^-scale units, in the canonical form
 * shared/money.ts produces (no exponent, no trailing fraction zeros, "0" not "-0"). The demo
 * generator does its arithmetic on such integers because decimal.js is too slow for 100k records
 * and a float would not be exact.
 */
export function unitsToDecimal(units: number | bigint, scale: number): string {
  if (typeof units === 'number' && !Number.isSafeInteger(units))
    throw new RangeError(`not a safe integer: ${units}`);
  if (units === 0 || units === 0n) return '0';
  const negative = units < 0;
  let digits = String(units).replace('-', '');
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    let intPart = digits.slice(0, digits.length - scale);
    let frac = digits.slice(digits.length - scale);
    let end = frac.length;
    while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
    intPart = intPart.replace(/^0+(?=\d)/, '');
    digits = frac ? `${intPart}.${frac}` : intPart;
  }
  return negative ? `-${digits}` : digits;
}

/** Divides by a power of ten and rounds half-up in integer arithmetic (for positive and negative). */
export function rescale(units: number, fromScale: number, toScale: number): number {
  if (toScale >= fromScale) return units * 10 ** (toScale - fromScale);
  const div = 10 ** (fromScale - toScale);
  const q = Math.trunc(units / div);
  const r = units - q * div;
  if (Math.abs(r) * 2 >= div) return q + Math.sign(units);
  return q;
}
