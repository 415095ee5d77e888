import Decimal from 'decimal.js';

/**
 * Precision and rounding for everything ingestion and reconciliation settle, in one place.
 *
 * Line amounts (usage x rate, FX-converted lines) keep the partner's precision. Settled amounts
 * (invoiced, paid, disbursed, credited, written off) are in the currency's ISO 4217 minor unit,
 * rounded by the rule of the partner or contract. The rule is data (`RoundingRule`), and the
 * difference it makes between the exact sum of lines and the settled total is computed here as
 * a known rounding difference, so reconciliation never mistakes it for a discrepancy.
 */

// Private Decimal: a caller's global settings cannot change our maths. 60 significant digits
// holds any sum of usage lines at 6+ decimals without loss.
const D = Decimal.clone({ precision: 60 });

/** ISO 4217 minor units (decimals) of the currencies partners settle in. */
export const ISO_MINOR_UNITS: Readonly<Record<string, number>> = {
  AED: 2,
  ARS: 2,
  AUD: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  LYD: 3,
  MXN: 2,
  MYR: 2,
  NGN: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PHP: 2,
  PKR: 2,
  PLN: 2,
  QAR: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UGX: 0,
  USD: 2,
  VND: 0,
  XOF: 0,
  ZAR: 2,
};

export function isKnownCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(ISO_MINOR_UNITS, code);
}

export function minorUnits(currency: string): number {
  const units = ISO_MINOR_UNITS[currency];
  if (units === undefined) throw new RangeError(`unknown currency "${currency}" (expected an ISO 4217 code)`);
  return units;
}

export const ROUNDING_MODES = ['half_up', 'half_even'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/**
 * How a partner or contract turns lines into a settled total: round the exact sum once
 * (`round_sum`), or round each line and add the rounded lines (`sum_rounded`).
 */
export const TOTAL_RULES = ['round_sum', 'sum_rounded'] as const;
export type TotalRule = (typeof TOTAL_RULES)[number];

export interface RoundingRule {
  mode: RoundingMode;
  total: TotalRule;
}

function decimalMode(mode: RoundingMode): Decimal.Rounding {
  // ROUND_HALF_UP in decimal.js rounds half away from zero, as invoices do for negatives.
  return mode === 'half_up' ? D.ROUND_HALF_UP : D.ROUND_HALF_EVEN;
}

/** Number of digits after the point in a decimal string as written ("12.50" -> 2). */
export function decimalPlaces(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.length - dot - 1;
}

/** An exact decimal rounded to the currency's minor unit, written with exactly that many decimals. */
export function roundToMinor(amount: string, currency: string, mode: RoundingMode): string {
  const places = minorUnits(currency);
  const fixed = new D(amount).toDecimalPlaces(places, decimalMode(mode)).toFixed(places);
  return /^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed;
}

/** The exact sum of decimal strings, with no rounding. */
export function exactSum(amounts: readonly string[]): string {
  let sum = new D(0);
  for (const a of amounts) sum = sum.plus(a);
  const text = sum.toFixed();
  return text === '-0' ? '0' : text;
}

export interface SettledTotal {
  /** The sum of the lines as exact decimals. */
  exactSum: string;
  /** What the rule says the settled total is, in minor units. */
  total: string;
  /** total - exactSum: the known rounding difference (never a discrepancy). */
  roundingDifference: string;
}

/** The settled total of some lines under a rule, and the rounding difference the rule makes. */
export function settledTotal(lines: readonly string[], currency: string, rule: RoundingRule): SettledTotal {
  const sum = exactSum(lines);
  const total =
    rule.total === 'round_sum'
      ? roundToMinor(sum, currency, rule.mode)
      : new D(exactSum(lines.map((l) => roundToMinor(l, currency, rule.mode)))).toFixed(minorUnits(currency));
  return { exactSum: sum, total, roundingDifference: new D(total).minus(sum).toFixed() };
}

export interface InvoiceCheck extends SettledTotal {
  /** The total the partner or invoice states. */
  stated: string;
  /** stated - total: zero when the invoice is right; anything else is a real discrepancy. */
  discrepancy: string;
}

/**
 * Compares a stated invoice total with its lines. The rounding difference is reported apart
 * from the discrepancy, so `$0.004` of rounding never becomes an exception.
 */
export function checkInvoiceTotal(
  lines: readonly string[],
  stated: string,
  currency: string,
  rule: RoundingRule,
): InvoiceCheck {
  const settled = settledTotal(lines, currency, rule);
  const discrepancy = new D(stated).minus(settled.total).toFixed();
  return { ...settled, stated, discrepancy: discrepancy === '-0' ? '0' : discrepancy };
}
