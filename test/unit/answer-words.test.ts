import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeAnswers } from '../../renderer/src/lib/answer-words';
import { loadSopFolder } from '../../server/src/features/sops/load-folder';

describe('checklist answers in words', () => {
  it('uses the step titles and field labels the operator saw, in step order, with option labels', () => {
    const module = loadSopFolder(resolve('sops')).modules.find((m) => m.id === 'short-payment') ?? null;
    expect(module).not.toBeNull();
    const lines = describeAnswers(module, {
      'short-reason': 'bank-charges',
      'match-payment': true,
      'remittance-advice': [{ id: 'att-1', name: 'remittance.pdf', type: 'application/pdf', size: 10 }],
    });
    expect(lines.map((l) => [l.label, l.value])).toEqual([
      ['Match the payment to the invoice', 'Done'],
      ['Remittance advice, if the customer sent one', 'remittance.pdf'],
      ['Reason for the shortfall', 'Bank or wire charges deducted on the way'],
    ]);
  });

  it('formats amounts, dates and yes/no, and names answers of another version from their ids', () => {
    const lines = describeAnswers(null, {
      'written-off': { amount: '-1142.5', currency: 'USD' },
      'promised-date': '2026-07-09',
      'customer-agreed': false,
    });
    expect(lines.map((l) => [l.label, l.value])).toEqual([
      ['Written off', '-1,142.50 USD'],
      ['Promised date', '2026-07-09'],
      ['Customer agreed', 'No'],
    ]);
  });
});
