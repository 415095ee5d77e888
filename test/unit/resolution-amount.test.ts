import { describe, expect, it } from 'vitest';
import { amountProblem, settledAmount } from '@shared/resolution-amount';
import type { Money } from '@shared/money';
import type { ResolutionAction } from '@shared/resolution';

const usd = (amount: string): Money => ({ amount, currency: 'USD' });
const SHORT = usd('-1142.50');
const check = (action: ResolutionAction, amount: Money | null, variance = SHORT): string | null =>
  amountProblem({ action, amount }, variance);

describe('a resolution amount against the exception variance', () => {
  it('lets a write-off close exactly the whole variance, in any decimal spelling', () => {
    expect(check('write_off', usd('-1142.50'))).toBeNull();
    expect(check('write_off', usd('-1142.5000000000'))).toBeNull();
  });

  it('refuses a write-off of a cent on a -1,142.50 USD variance, or of the variance with the wrong sign', () => {
    expect(check('write_off', usd('0.01'))).toMatch(/must be negative/);
    expect(check('write_off', usd('-0.01'))).toMatch(
      /closes the whole variance: the amount must be exactly -\$1,142\.50/,
    );
    expect(check('write_off', usd('1142.50'))).toMatch(/must be negative/);
  });

  it('refuses zero, "-0" and an amount on a zero variance', () => {
    expect(check('write_off', usd('-0'))).toBe('The amount cannot be zero');
    expect(check('credit_memo_request', usd('0.00'))).toBe('The amount cannot be zero');
    expect(check('rebill', usd('5'), usd('0'))).toMatch(/variance is zero/);
  });

  it('lets a credit or a rebill settle part of the variance, never more, never the other way', () => {
    expect(check('credit_memo_request', usd('-100'))).toBeNull();
    expect(check('rebill', usd('-1142.50'))).toBeNull();
    expect(check('credit_memo_request', usd('-1142.51'))).toMatch(/cannot exceed/);
    expect(check('rebill', usd('249.99'), usd('2.50'))).toMatch(/cannot exceed/);
    expect(check('credit_memo_request', usd('100'))).toMatch(/must be negative/);
  });

  it('refuses another currency, and an amount on an action that moves no money', () => {
    expect(check('write_off', { amount: '-1142.50', currency: 'EUR' })).toMatch(/must be in USD/);
    expect(check('escalate', usd('-1142.50'))).toMatch(/moves no money/);
    expect(check('escalate', null)).toBeNull();
  });

  it('counts a write-off as the whole variance for approval thresholds', () => {
    expect(settledAmount({ action: 'write_off', amount: usd('-1142.5') }, SHORT)).toEqual(SHORT);
    expect(settledAmount({ action: 'rebill', amount: usd('-3') }, SHORT)).toEqual(usd('-3'));
    expect(settledAmount({ action: 'no_action', amount: null }, SHORT)).toBeNull();
  });
});
