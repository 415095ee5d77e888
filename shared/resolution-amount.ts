import { compare, formatMoney, isZero, money, type Money } from './money';
import type { ResolutionAction } from './resolution';

/**
 * What a resolution's amount may be, against the exception's own variance (variance = actual -
 * expected, shared/demo/generate.ts). The amount is the part of the variance it settles, so it
 * carries the variance's sign: a -1,142.50 USD short payment is written off as -1,142.50 USD.
 *
 * - write_off closes the whole variance: the amount equals it exactly.
 * - credit_memo_request and rebill settle some or all of it: same sign, not zero, |amount| no
 *   more than |variance|.
 * - every other action moves no money and carries no amount.
 *
 * The desktop checks this before a result enters the outbox; the server checks it again on push
 * (shared/sop/engine.ts `resolutionProblems`), so a typed or forged amount cannot settle more, less
 * or other than the item's variance, nor slip under an approval threshold.
 */
export const MONEY_ACTIONS: readonly ResolutionAction[] = ['write_off', 'credit_memo_request', 'rebill'];

export function movesMoney(action: ResolutionAction): boolean {
  return MONEY_ACTIONS.includes(action);
}

const LABEL: Partial<Record<ResolutionAction, string>> = {
  write_off: 'A write-off',
  credit_memo_request: 'A credit memo',
  rebill: 'A rebill',
};

/** Why `amount` cannot settle `variance` with `action`, in words for the operator; null when it can. */
export function amountProblem(
  resolution: { action: ResolutionAction; amount: Money | null },
  variance: Money,
): string | null {
  const { action, amount } = resolution;
  const label = LABEL[action];
  if (!label) return amount ? `${action.replace(/_/g, ' ')} moves no money: leave the amount empty` : null;
  if (!amount) return `${label} needs the amount`;
  if (amount.currency !== variance.currency) {
    return `The amount must be in ${variance.currency}, the currency of the variance`;
  }
  if (isZero(amount)) return 'The amount cannot be zero';
  const zero = money(0, variance.currency);
  const sign = compare(variance, zero);
  if (sign === 0) return 'The variance is zero: there is nothing to write off, credit or rebill';
  const shown = formatMoney(variance);
  if (compare(amount, zero) !== sign) {
    return `The amount must be ${sign < 0 ? 'negative' : 'positive'}, as the variance is (${shown})`;
  }
  if (action === 'write_off') {
    return compare(amount, variance) === 0
      ? null
      : `${label} closes the whole variance: the amount must be exactly ${shown}`;
  }
  // Same sign as the variance: "not beyond it" is |amount| <= |variance|.
  return compare(amount, variance) === sign ? `${label} cannot exceed the variance (${shown})` : null;
}

/**
 * The amount a checked resolution really settles, which approval thresholds apply to: for a
 * write-off, the whole variance (whatever text the amount was sent as).
 */
export function settledAmount(
  resolution: { action: ResolutionAction; amount: Money | null },
  variance: Money,
): Money | null {
  if (resolution.action === 'write_off') return variance;
  return movesMoney(resolution.action) ? resolution.amount : null;
}
