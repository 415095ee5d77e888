import Decimal from 'decimal.js';
import { z } from 'zod';

/**
 * Exact money. Amounts travel as decimal strings and are computed with decimal.js; a binary
 * float never holds an amount or a rate. Usage prices can be fractions of a cent per token, so
 * amounts keep up to 10 decimal places and are rounded only when a caller asks for it.
 */

// A private Decimal constructor so a caller's global Decimal settings cannot change our maths.
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

export const MONEY_SCALE = 10;

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'AUD', 'JPY', 'CAD', 'INR'] as const;
export const currencySchema = z.enum(CURRENCIES);
export type Currency = z.infer<typeof currencySchema>;

/** Minor units per ISO 4217; used only at the documented rounding step (`roundToMinor`). */
export const MINOR_UNITS: Readonly<Record<Currency, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  AUD: 2,
  JPY: 0,
  CAD: 2,
  INR: 2,
};

export const decimalStringSchema = z
  .string()
  .regex(/^-?\d{1,20}(\.\d{1,10})?$/, 'expected a decimal string such as "-12.3400" (at most 10 decimals)');

export const moneySchema = z.object({
  amount: decimalStringSchema,
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

export class CurrencyMismatchError extends Error {
  constructor(a: Currency, b: Currency) {
    super(`cannot combine ${a} with ${b}: convert with an explicit FX rate first`);
    this.name = 'CurrencyMismatchError';
  }
}

function sameCurrency(a: Money, b: Money): Currency {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
  return a.currency;
}

/** Canonical text: no exponent, no trailing zeros beyond what is needed. */
function toCanonical(d: Decimal): string {
  const fixed = d.toDecimalPlaces(MONEY_SCALE, D.ROUND_HALF_EVEN).toFixed();
  return fixed === '-0' ? '0' : fixed;
}

export function money(amount: string | number | bigint, currency: Currency): Money {
  if (typeof amount === 'number' && !Number.isInteger(amount)) {
    throw new TypeError('money() takes whole numbers or decimal strings, never fractional floats');
  }
  return { amount: toCanonical(new D(amount.toString())), currency };
}

export function add(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return { amount: toCanonical(new D(a.amount).plus(b.amount)), currency };
}

export function subtract(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return { amount: toCanonical(new D(a.amount).minus(b.amount)), currency };
}

export function negate(a: Money): Money {
  return { amount: toCanonical(new D(a.amount).negated()), currency: a.currency };
}

/** Multiply by an exact rate given as a decimal string (a fee %, a unit price, an FX rate). */
export function multiply(a: Money, rate: string): Money {
  return {
    amount: toCanonical(new D(a.amount).times(decimalStringSchema.parse(rate))),
    currency: a.currency,
  };
}

export function convert(a: Money, fxRate: string, to: Currency): Money {
  return { amount: toCanonical(new D(a.amount).times(decimalStringSchema.parse(fxRate))), currency: to };
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return new D(a.amount).comparedTo(b.amount) as -1 | 0 | 1;
}

export function isZero(a: Money): boolean {
  return new D(a.amount).isZero();
}

export function abs(a: Money): Money {
  return { amount: toCanonical(new D(a.amount).abs()), currency: a.currency };
}

/**
 * The one rounding step: half-even (banker's) to the currency's minor unit, as partner
 * statements do. Call it when an amount leaves the system (an invoice, a credit memo), not before.
 */
export function roundToMinor(a: Money): Money {
  return {
    amount: new D(a.amount)
      .toDecimalPlaces(MINOR_UNITS[a.currency], D.ROUND_HALF_EVEN)
      .toFixed(MINOR_UNITS[a.currency]),
    currency: a.currency,
  };
}

/** Integer in 10^-MONEY_SCALE units, for indexes that must sort amounts exactly (SQLite INTEGER is 64-bit). */
export function toScaledInteger(a: Money): bigint {
  return BigInt(new D(a.amount).times(new D(10).pow(MONEY_SCALE)).toFixed(0));
}

export function formatMoney(a: Money, locale = 'en-US'): string {
  const digits = Math.max(MINOR_UNITS[a.currency], Math.min(MONEY_SCALE, decimals(a.amount)));
  // Intl accepts a decimal string and formats it without going through a float.
  const fmt = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: a.currency,
    minimumFractionDigits: MINOR_UNITS[a.currency],
    maximumFractionDigits: digits,
  });
  return fmt.format(a.amount as unknown as number);
}

function decimals(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.length - dot - 1;
}
