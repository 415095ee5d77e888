import { describe, expect, it } from 'vitest';
import {
  checkCondition,
  conditionVars,
  evaluateCondition,
  truthy,
  type Condition,
} from '@shared/sop/condition';

const data = {
  exception: { channel: 'azure', varianceAbs: '0.3', expectedAbs: '1000000000000000000.01' },
  answers: { direction: 'under-billed', senders: ['hourly-job', 'backfill'] },
  today: '2025-06-30',
};

describe('SOP conditions: comparisons are decimal-exact', () => {
  it('treats "0.3" as equal to "0.30" and to the number 0.3', () => {
    expect(evaluateCondition({ '==': ['0.3', '0.30'] }, data)).toBe(true);
    expect(evaluateCondition({ '==': [{ var: 'exception.varianceAbs' }, 0.3] }, data)).toBe(true);
  });

  it('does not mistake the float sum 0.1 + 0.2 for 0.3', () => {
    // 0.1 + 0.2 in binary floats is 0.30000000000000004: close is not equal, and it is larger.
    expect(evaluateCondition({ '==': [0.1 + 0.2, '0.3'] }, data)).toBe(false);
    expect(evaluateCondition({ '>': [0.1 + 0.2, '0.3'] }, data)).toBe(true);
    expect(evaluateCondition({ '<=': [{ var: 'exception.varianceAbs' }, '0.30000000000000001'] }, data)).toBe(
      true,
    );
  });

  it('orders amounts beyond float precision: 1000000000000000000.01 > 1000000000000000000', () => {
    expect(evaluateCondition({ '>': ['1000000000000000000.01', '1000000000000000000'] }, data)).toBe(true);
    expect(evaluateCondition({ '==': ['1000000000000000000.01', '1000000000000000000'] }, data)).toBe(false);
    expect(evaluateCondition({ '>': [{ var: 'exception.expectedAbs' }, '1000000000000000000'] }, data)).toBe(
      true,
    );
  });

  it('compares negative amounts and text (ISO dates sort as text)', () => {
    expect(evaluateCondition({ '<': ['-10.5', '-2'] }, data)).toBe(true);
    expect(evaluateCondition({ '<': ['2025-06-01', { var: 'today' }] }, data)).toBe(true);
  });

  it('does not order values of different kinds: < and > are false, != is true', () => {
    expect(evaluateCondition({ '<': ['abc', 5] }, data)).toBe(false);
    expect(evaluateCondition({ '>': ['abc', 5] }, data)).toBe(false);
    expect(evaluateCondition({ '!=': ['abc', 5] }, data)).toBe(true);
  });
});

describe('SOP conditions: truthiness and var', () => {
  it('treats empty text, empty lists, zero (also "0.00"), null and false as false', () => {
    for (const v of ['', [], 0, '0', '0.00', '-0', null, false]) expect(truthy(v)).toBe(false);
    for (const v of ['x', ['a'], 1, '0.01', true]) expect(truthy(v)).toBe(true);
  });

  it('reads a missing var as null, or as its fallback', () => {
    expect(evaluateCondition({ var: 'answers.nothing' }, data)).toBeNull();
    expect(evaluateCondition({ var: ['answers.nothing', 'inside'] }, data)).toBe('inside');
    expect(evaluateCondition({ '==': [{ var: 'answers.nothing' }, null] }, data)).toBe(true);
  });

  it('combines with and / or / ! by truthiness', () => {
    const underBilledOnAzure = {
      and: [
        { '==': [{ var: 'answers.direction' }, 'under-billed'] },
        { '==': [{ var: 'exception.channel' }, 'azure'] },
      ],
    };
    expect(evaluateCondition(underBilledOnAzure, data)).toBe(true);
    expect(evaluateCondition({ or: [false, { var: 'answers.nothing' }] }, data)).toBe(false);
    expect(evaluateCondition({ '!': { var: 'answers.nothing' } }, data)).toBe(true);
  });

  it('lists every var a condition reads', () => {
    const when: Condition = {
      and: [{ in: [{ var: 'exception.channel' }, ['aws']] }, { '!': { var: 'answers.x' } }],
    };
    expect(conditionVars(when)).toEqual(['exception.channel', 'answers.x']);
  });
});

describe('SOP conditions: in', () => {
  it('finds a value in a literal list and in a list answer', () => {
    expect(evaluateCondition({ in: [{ var: 'exception.channel' }, ['aws', 'azure', 'gcp']] }, data)).toBe(
      true,
    );
    expect(evaluateCondition({ in: [{ var: 'exception.channel' }, ['reseller', 'direct']] }, data)).toBe(
      false,
    );
    expect(evaluateCondition({ in: ['backfill', { var: 'answers.senders' }] }, data)).toBe(true);
  });

  it('compares list members as decimals', () => {
    expect(evaluateCondition({ in: ['0.30', ['0.1', 0.3]] }, data)).toBe(true);
  });

  it('finds a substring in text, and nothing in a value that is neither list nor text', () => {
    expect(evaluateCondition({ in: ['billed', { var: 'answers.direction' }] }, data)).toBe(true);
    expect(evaluateCondition({ in: ['over', { var: 'answers.direction' }] }, data)).toBe(false);
    expect(evaluateCondition({ in: ['x', { var: 'answers.nothing' }] }, data)).toBe(false);
  });
});

describe('SOP conditions: the structural checker', () => {
  it('accepts well-formed conditions', () => {
    expect(
      checkCondition({
        or: [{ '==': [{ var: 'answers.a' }, 'x'] }, { '!': [{ in: ['a', ['a', 'b']] }] }],
      }),
    ).toEqual([]);
  });

  it('reports an unknown operator with its path inside the condition', () => {
    const issues = checkCondition({ and: [{ '==': [1, 1] }, { method: ['x', 'toUpperCase'] }] });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(['and', 1, 'method']);
    expect(issues[0]?.message).toMatch(/unknown operator "method"/);
  });

  it('reports wrong arity for comparisons, in, ! and empty and/or', () => {
    expect(checkCondition({ '==': [1] })[0]).toMatchObject({
      path: ['=='],
      message: '"==" takes two arguments',
    });
    expect(checkCondition({ in: ['a', ['a'], 'b'] })[0]?.message).toBe('"in" takes two arguments');
    expect(checkCondition({ '!': [true, false] })[0]?.message).toBe('"!" takes one argument');
    expect(checkCondition({ and: [] })[0]?.message).toBe('"and" takes at least one argument');
    expect(checkCondition({ or: [{ '<': [1, 2, 3] }] })[0]?.path).toEqual(['or', 0, '<']);
  });

  it('reports an operator object with more than one key, and a var without a name', () => {
    expect(checkCondition({ '==': [1, 1], '!=': [1, 2] })[0]?.message).toMatch(/exactly one key; found 2/);
    expect(checkCondition({ var: '' })[0]?.path).toEqual(['var']);
  });

  it('refuses to evaluate an unknown operator rather than guess', () => {
    expect(() => evaluateCondition({ method: ['x', 'toUpperCase'] }, data)).toThrow(/unknown operator/);
  });
});
