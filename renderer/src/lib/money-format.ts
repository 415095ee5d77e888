import Decimal from 'decimal.js';

/** An amount as it travels: an exact decimal string and its ISO 4217 code. */
export interface AmountLike {
  amount: string;
  currency: string;
}

// Private settings: display rounding must not depend on anyone's global Decimal configuration.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

const digitsCache = new Map<string, number>();

/**
 * The currency's minor unit as Intl knows it (JPY 0, USD 2, KWD 3), so a currency the app has
 * not listed yet still reads right. An unknown code falls back to 2.
 */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits ?? 2);
  }
  return digits ?? 2;
}

function decimalsOf(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.replace(/0+$/, '').length - dot - 1;
}

function grouped(amount: string, digits: number): string {
  // Intl formats a decimal string exactly (no float in between); the rounding is already done.
  const fmt = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return fmt.format(amount as unknown as number);
}

/**
 * "1,234.57 USD", "-1,235 JPY", "12.346 KWD": a settled amount at its currency's minor unit,
 * rounded half-even (the rounding partner statements use), with the code after the number so
 * right-aligned columns line up. `line: true` keeps every decimal the amount carries (a rate or
 * usage line, where a fraction of a cent matters), never fewer than the minor unit.
 */
export function formatAmount(value: AmountLike, opts: { line?: boolean } = {}): string {
  const minor = currencyDigits(value.currency);
  const digits = opts.line ? Math.max(minor, Math.min(10, decimalsOf(value.amount))) : minor;
  const rounded = new D(value.amount).toDecimalPlaces(digits, D.ROUND_HALF_EVEN);
  const text = grouped(rounded.isZero() ? '0' : rounded.toFixed(digits), digits);
  return `${text} ${value.currency}`;
}

/** The amount with every decimal it carries: what a tooltip shows when the cell rounds or cuts it. */
export function formatAmountFull(value: AmountLike): string {
  return formatAmount(value, { line: true });
}
