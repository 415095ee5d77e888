import { describe, expect, it } from 'vitest';
import { drawSample, DrawPolicyError, inNesting, type DrawResult } from '@shared/qa/draw';
import {
  drawInputSchema,
  samplingPolicySchema,
  type DrawInput,
  type DrawItem,
  type OperatorStanding,
  type SamplingPolicy,
} from '@shared/qa/policy';
import { mulberry32, sampleIds } from '@shared/qa/prng';

const policy: SamplingPolicy = {
  id: 'default-2026',
  graduation: { minItems: 50, minAccuracyPercent: '95' },
  risk: { varianceAtLeast: { USD: '10000', EUR: '9000' }, writeOffs: true, escalations: true },
  rules: [
    {
      sopModuleId: '*',
      tier: 'standard',
      method: { kind: 'stratified', ratePercent: '10', strata: ['operator', 'type'], minPerStratum: 1 },
    },
    { sopModuleId: '*', tier: 'mature', method: { kind: 'lot', aql: '2.5', level: 'II' } },
  ],
};

const veteran = (operatorId: string, tier: OperatorStanding['tier']): OperatorStanding => ({
  operatorId,
  tier,
  reviewedItems: 400,
  accurateItems: 390,
});

function item(id: string, over: Partial<DrawItem> = {}): DrawItem {
  return {
    id,
    operatorId: 'op-std',
    exceptionType: 'price_mismatch',
    partner: 'aws',
    sopModuleId: 'price-mismatch',
    variance: { amount: '12.50', currency: 'USD' },
    writeOff: false,
    escalated: false,
    ...over,
  };
}

function ids(prefix: string, count: number, over: Partial<DrawItem> = {}): DrawItem[] {
  return Array.from({ length: count }, (_, i) => item(`${prefix}-${String(i).padStart(4, '0')}`, over));
}

function input(
  population: DrawItem[],
  operators: OperatorStanding[],
  inspection: DrawInput['inspection'] = {},
): DrawInput {
  return drawInputSchema.parse({ policy, population, operators, inspection });
}

const reasonsOf = (result: DrawResult): Record<string, number> =>
  result.sampled.reduce<Record<string, number>>(
    (acc, s) => ({ ...acc, [s.reason]: (acc[s.reason] ?? 0) + 1 }),
    {},
  );

describe('the seeded generator', () => {
  it('is mulberry32: the same seed gives the same stream, another seed another one', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    const c = mulberry32(43);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it('samples distinct ids regardless of the order they came in', () => {
    const population = Array.from({ length: 100 }, (_, i) => `x${i}`);
    const picked = sampleIds(population, 10, mulberry32(7));
    expect(new Set(picked).size).toBe(10);
    expect(sampleIds([...population].reverse(), 10, mulberry32(7))).toEqual(picked);
  });
});

describe('nesting: 100% until the graduation rule is met', () => {
  it('graduates at N reviewed items and X% accuracy, compared exactly', () => {
    expect(inNesting(policy, undefined)).toBe(true);
    expect(
      inNesting(policy, { operatorId: 'a', tier: 'standard', reviewedItems: 49, accurateItems: 49 }),
    ).toBe(true);
    // 95 of 100 is exactly 95%: graduated. 94.99...% is not.
    expect(
      inNesting(policy, { operatorId: 'a', tier: 'standard', reviewedItems: 100, accurateItems: 95 }),
    ).toBe(false);
    expect(
      inNesting(policy, { operatorId: 'a', tier: 'standard', reviewedItems: 2001, accurateItems: 1900 }),
    ).toBe(true);
  });

  it('samples every item of an operator still in nesting, and of an operator the draw knows nothing about', () => {
    const population = [
      ...ids('new', 30, { operatorId: 'op-new' }),
      ...ids('unknown', 5, { operatorId: 'op-unknown' }),
    ];
    const result = drawSample(
      input(population, [{ operatorId: 'op-new', tier: 'standard', reviewedItems: 10, accurateItems: 10 }]),
      1,
    );
    expect(result.sampled).toHaveLength(35);
    expect(reasonsOf(result)).toEqual({ nesting: 35 });
  });
});

describe('risk thresholds: 100% above them', () => {
  it('variance at or above the amount for its currency, write-offs and escalations are always sampled', () => {
    const population = [
      ...ids('plain', 20),
      item('big-usd', { variance: { amount: '-10000.00', currency: 'USD' } }),
      item('just-below', { variance: { amount: '9999.9999999999', currency: 'USD' } }),
      item('big-eur', { variance: { amount: '9000', currency: 'EUR' } }),
      item('gbp-no-threshold', { variance: { amount: '1000000', currency: 'GBP' } }),
      item('write-off', { writeOff: true }),
      item('escalated', { escalated: true }),
    ];
    const result = drawSample(input(population, [veteran('op-std', 'standard')]), 99);
    const reason = new Map(result.sampled.map((s) => [s.id, s.reason]));
    expect(reason.get('big-usd')).toBe('risk-variance');
    expect(reason.get('big-eur')).toBe('risk-variance');
    expect(reason.get('write-off')).toBe('risk-write-off');
    expect(reason.get('escalated')).toBe('risk-escalation');
    expect(reason.get('just-below') ?? 'not sampled').not.toMatch(/^risk/);
    expect(reason.get('gbp-no-threshold') ?? 'not sampled').not.toMatch(/^risk/);
  });
});

describe('stratified random for standard-tier operators', () => {
  it('samples ceil(10%) of every operator x type stratum, at least one each', () => {
    const population = [
      ...ids('a-price', 35, { operatorId: 'op-a' }),
      ...ids('a-dup', 4, { operatorId: 'op-a', exceptionType: 'duplicate_charge' }),
      ...ids('b-price', 20, { operatorId: 'op-b' }),
    ];
    const result = drawSample(
      input(population, [veteran('op-a', 'standard'), veteran('op-b', 'standard')]),
      2026,
    );
    expect(result.strata.map((s) => [s.size, s.sampled])).toEqual([
      [4, 1],
      [35, 4],
      [20, 2],
    ]);
    expect(reasonsOf(result)).toEqual({ stratified: 7 });
  });
});

describe('lot sampling (ISO 2859-1) for mature operators', () => {
  it("one operator's day is one lot: 100 items at AQL 2.5 level II is letter F, 20 sampled", () => {
    const result = drawSample(input(ids('m', 100, { operatorId: 'op-m' }), [veteran('op-m', 'mature')]), 5);
    expect(result.lots).toEqual([
      expect.objectContaining({ stream: 'op-m|price-mismatch', lotSize: 100, state: 'normal', sampled: 20 }),
    ]);
    expect(result.lots[0]?.plan).toMatchObject({ codeLetter: 'F', acceptanceNumber: 1, rejectionNumber: 2 });
    expect(reasonsOf(result)).toEqual({ lot: 20 });
  });

  it('the stream state picks the table: reduced F at 2.5 points down to 13 items, tightened points down to 32 items with Ac 1', () => {
    const population = ids('m', 100, { operatorId: 'op-m' });
    const reduced = drawSample(
      input(population, [veteran('op-m', 'mature')], { 'op-m|price-mismatch': 'reduced' }),
      5,
    );
    expect(reduced.lots[0]).toMatchObject({ state: 'reduced', sampled: 13 });
    expect(reduced.lots[0]?.plan).toMatchObject({ planLetter: 'G', acceptanceNumber: 1 });
    const tightened = drawSample(
      input(population, [veteran('op-m', 'mature')], { 'op-m|price-mismatch': 'tightened' }),
      5,
    );
    expect(tightened.lots[0]?.plan).toMatchObject({ planLetter: 'G', sampleSize: 32, acceptanceNumber: 1 });
  });

  it('a discontinued stream is reviewed in full until corrective action', () => {
    const result = drawSample(
      input(ids('m', 40, { operatorId: 'op-m' }), [veteran('op-m', 'mature')], {
        'op-m|price-mismatch': 'discontinued',
      }),
      5,
    );
    expect(result.lots[0]).toMatchObject({ state: 'discontinued', plan: null, sampled: 40 });
    expect(reasonsOf(result)).toEqual({ 'lot-discontinued': 40 });
  });

  it('a module rule takes precedence over the "*" rule', () => {
    const withModuleRule = samplingPolicySchema.parse({
      ...policy,
      rules: [
        ...policy.rules,
        { sopModuleId: 'price-mismatch', tier: 'mature', method: { kind: 'lot', aql: '0.65', level: 'II' } },
      ],
    });
    const result = drawSample(
      drawInputSchema.parse({
        policy: withModuleRule,
        population: ids('m', 100, { operatorId: 'op-m' }),
        operators: [veteran('op-m', 'mature')],
        inspection: {},
      }),
      5,
    );
    expect(result.lots[0]).toMatchObject({ aql: '0.65', sampled: 20 });
  });

  it('a policy without a rule for a tier is refused, naming module and tier', () => {
    const matureOnly = samplingPolicySchema.parse({ ...policy, rules: [policy.rules[1]] });
    expect(() =>
      drawSample(
        drawInputSchema.parse({
          policy: matureOnly,
          population: ids('s', 3),
          operators: [veteran('op-std', 'standard')],
          inspection: {},
        }),
        1,
      ),
    ).toThrow(new DrawPolicyError('policy has no rule for module price-mismatch, tier standard'));
  });
});

describe('reproducible: same seed + same population = same sample', () => {
  const population = [
    ...ids('s', 120, { operatorId: 'op-s' }),
    ...ids('m', 300, { operatorId: 'op-m' }),
    ...ids('n', 3, { operatorId: 'op-n' }),
  ];
  const operators = [veteran('op-s', 'standard'), veteran('op-m', 'mature')];

  it('re-running with the recorded seed gives the identical result, whatever the population order', () => {
    const first = drawSample(input(population, operators), 123456789);
    expect(drawSample(input(population, operators), 123456789)).toEqual(first);
    expect(drawSample(input([...population].reverse(), [...operators].reverse()), 123456789)).toEqual(first);
  });

  it('another seed draws another sample of the same size', () => {
    const first = drawSample(input(population, operators), 1);
    const second = drawSample(input(population, operators), 2);
    expect(second.sampled.length).toBe(first.sampled.length);
    expect(second.sampled).not.toEqual(first.sampled);
  });

  it('refuses a population listing one item twice', () => {
    expect(() => drawSample(input([item('dup'), item('dup')], operators), 1)).toThrow(/twice/);
  });
});

describe('the policy is validated as data', () => {
  it('names the field that is wrong', () => {
    const bad = samplingPolicySchema.safeParse({
      ...policy,
      graduation: { minItems: 50, minAccuracyPercent: '101' },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['graduation', 'minAccuracyPercent']);
    const badAql = samplingPolicySchema.safeParse({
      ...policy,
      rules: [{ sopModuleId: '*', tier: 'mature', method: { kind: 'lot', aql: '3', level: 'II' } }],
    });
    expect(badAql.error?.issues[0]?.path).toEqual(['rules', 0, 'method', 'aql']);
  });

  it('refuses a variance threshold written as a float-ish number', () => {
    const bad = samplingPolicySchema.safeParse({
      ...policy,
      risk: { ...policy.risk, varianceAtLeast: { USD: 1e4 } },
    });
    expect(bad.success).toBe(false);
  });
});
