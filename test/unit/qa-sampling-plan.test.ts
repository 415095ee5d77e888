import { describe, expect, it } from 'vitest';
import { AQLS, CODE_LETTERS, type Aql, type CodeLetter } from '@shared/qa/aql-tables';
import {
  acceptedOneStepTighter,
  codeLetterFor,
  lotAccepted,
  masterPlan,
  planForLot,
  sampleSizeOf,
  SEVERITIES,
} from '@shared/qa/sampling-plan';

describe('ISO 2859-1 Table 1: lot size -> code letter', () => {
  // [first lot size of the range, last lot size of the range, level I, level II, level III]
  const ranges: [number, number, CodeLetter, CodeLetter, CodeLetter][] = [
    [2, 8, 'A', 'A', 'B'],
    [9, 15, 'A', 'B', 'C'],
    [16, 25, 'B', 'C', 'D'],
    [26, 50, 'C', 'D', 'E'],
    [51, 90, 'C', 'E', 'F'],
    [91, 150, 'D', 'F', 'G'],
    [151, 280, 'E', 'G', 'H'],
    [281, 500, 'F', 'H', 'J'],
    [501, 1200, 'G', 'J', 'K'],
    [1201, 3200, 'H', 'K', 'L'],
    [3201, 10000, 'J', 'L', 'M'],
    [10001, 35000, 'K', 'M', 'N'],
    [35001, 150000, 'L', 'N', 'P'],
    [150001, 500000, 'M', 'P', 'Q'],
    [500001, 2000000, 'N', 'Q', 'R'],
  ];

  it.each(ranges)(
    'lots of %i to %i items take %s / %s / %s at levels I / II / III',
    (first, last, i, ii, iii) => {
      for (const size of [first, last]) {
        expect(codeLetterFor(size, 'I')).toBe(i);
        expect(codeLetterFor(size, 'II')).toBe(ii);
        expect(codeLetterFor(size, 'III')).toBe(iii);
      }
    },
  );

  it('uses general inspection level II unless told otherwise', () => {
    expect(codeLetterFor(1000)).toBe('J');
  });

  it('refuses a lot size that is not a positive whole number', () => {
    expect(() => codeLetterFor(0)).toThrow(/positive integer/);
    expect(() => codeLetterFor(2.5)).toThrow(/positive integer/);
  });
});

describe('sample size for a lot of every code letter (level II, normal inspection)', () => {
  // lot size, its code letter, and the sample size printed for that letter in Table 2-A
  const cases: [number, CodeLetter, number][] = [
    [8, 'A', 2],
    [15, 'B', 3],
    [25, 'C', 5],
    [50, 'D', 8],
    [90, 'E', 13],
    [150, 'F', 20],
    [280, 'G', 32],
    [500, 'H', 50],
    [1200, 'J', 80],
    [3200, 'K', 125],
    [10000, 'L', 200],
    [35000, 'M', 315],
    [150000, 'N', 500],
    [500000, 'P', 800],
    [600000, 'Q', 1250],
  ];
  it.each(cases)('a lot of %i is letter %s with sample size %i', (lotSize, letter, n) => {
    expect(codeLetterFor(lotSize)).toBe(letter);
    expect(sampleSizeOf('normal', letter)).toBe(n);
  });

  it('letter R (level III above 500,000) samples 2000, S (tightened only) 3150', () => {
    expect(codeLetterFor(600000, 'III')).toBe('R');
    expect(sampleSizeOf('normal', 'R')).toBe(2000);
    expect(sampleSizeOf('tightened', 'S')).toBe(3150);
  });

  it('reduced inspection samples about 40% of normal (Table 2-C)', () => {
    const reduced = CODE_LETTERS.map((l) => sampleSizeOf('reduced', l));
    expect(reduced).toEqual([2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800]);
  });

  it('where the letter has a plan at the AQL, the lot gets that letter sample size (lot 1000 at 2.5: 80, Ac 5 Re 6)', () => {
    expect(planForLot({ lotSize: 1000, aql: '2.5' })).toMatchObject({
      codeLetter: 'J',
      planLetter: 'J',
      sampleSize: 80,
      acceptanceNumber: 5,
      rejectionNumber: 6,
      hundredPercent: false,
    });
  });
});

describe('accept and reject numbers, normal inspection (Table 2-A)', () => {
  // lot size, AQL -> plan letter, sample size, Ac, Re
  const cases: [number, Aql, string, number, number, number][] = [
    [1000, '0.65', 'J', 80, 1, 2],
    [1000, '1.0', 'J', 80, 2, 3],
    [1000, '4.0', 'J', 80, 7, 8],
    [1000, '6.5', 'J', 80, 10, 11],
    [3000, '0.65', 'K', 125, 2, 3],
    [3000, '1.0', 'K', 125, 3, 4],
    [3000, '2.5', 'K', 125, 7, 8],
    [3000, '4.0', 'K', 125, 10, 11],
    [3000, '6.5', 'K', 125, 14, 15],
    [10000, '1.5', 'L', 200, 7, 8],
    [500, '1.0', 'H', 50, 1, 2],
    [500, '2.5', 'H', 50, 3, 4],
    [500, '6.5', 'H', 50, 7, 8],
    [100, '4.0', 'F', 20, 2, 3],
    [100, '6.5', 'F', 20, 3, 4],
    [50, '6.5', 'D', 8, 1, 2],
    [150000, '0.65', 'N', 500, 7, 8],
  ];
  it.each(cases)('lot %i at AQL %s: letter %s, n=%i, Ac %i, Re %i', (lotSize, aql, letter, n, ac, re) => {
    expect(planForLot({ lotSize, aql })).toMatchObject({
      planLetter: letter,
      sampleSize: n,
      acceptanceNumber: ac,
      rejectionNumber: re,
    });
  });
});

describe('arrow cells are followed to their plan, sample size included (not flattened)', () => {
  it('an up arrow (H at 0.40) takes the plan above: G, n=32, Ac 0 Re 1', () => {
    expect(planForLot({ lotSize: 400, aql: '0.40' })).toMatchObject({
      codeLetter: 'H',
      planLetter: 'G',
      sampleSize: 32,
      acceptanceNumber: 0,
      rejectionNumber: 1,
    });
  });

  it('a down arrow (H at 0.65) takes the plan below: J, n=80, Ac 1 Re 2', () => {
    expect(planForLot({ lotSize: 400, aql: '0.65' })).toMatchObject({
      codeLetter: 'H',
      planLetter: 'J',
      sampleSize: 80,
      acceptanceNumber: 1,
      rejectionNumber: 2,
    });
  });

  it('K at 0.15 points up to J 0/1 with 80; K at 0.25 points down to L 1/2 with 200', () => {
    expect(masterPlan('K', '0.15', 'normal')).toEqual({ planLetter: 'J', sampleSize: 80, ac: 0, re: 1 });
    expect(masterPlan('K', '0.25', 'normal')).toEqual({ planLetter: 'L', sampleSize: 200, ac: 1, re: 2 });
  });

  it('a long down arrow crosses several rows (lot 1000 at 0.10: J -> K, n=125, Ac 0)', () => {
    expect(planForLot({ lotSize: 1000, aql: '0.10' })).toMatchObject({
      planLetter: 'K',
      sampleSize: 125,
      acceptanceNumber: 0,
    });
  });

  it('the up arrows below the 21/22 diagonal lead back to it (L at 10: K, n=125, Ac 21 Re 22)', () => {
    expect(masterPlan('L', '10', 'normal')).toEqual({ planLetter: 'K', sampleSize: 125, ac: 21, re: 22 });
  });

  it('every letter at every AQL and severity reaches a plan (no arrow leads off the table)', () => {
    for (const severity of SEVERITIES) {
      for (const letter of CODE_LETTERS) {
        for (const aql of AQLS) {
          const plan = masterPlan(letter, aql, severity);
          expect(plan.re).toBe(plan.ac + 1);
        }
      }
    }
  });

  it('the transcribed normal and tightened tables keep the standard diagonal: one letter down, one AQL left, same Ac/Re', () => {
    for (const severity of ['normal', 'tightened'] as const) {
      for (let i = 0; i + 1 < CODE_LETTERS.length; i += 1) {
        for (let j = 1; j < AQLS.length; j += 1) {
          const here = masterPlan(CODE_LETTERS[i] as CodeLetter, AQLS[j] as Aql, severity);
          const diagonal = masterPlan(CODE_LETTERS[i + 1] as CodeLetter, AQLS[j - 1] as Aql, severity);
          if (here.planLetter === CODE_LETTERS[i] && diagonal.planLetter === CODE_LETTERS[i + 1]) {
            expect([diagonal.ac, diagonal.re]).toEqual([here.ac, here.re]);
          }
        }
      }
    }
  });
});

describe('tightened (Table 2-B) and reduced (Table 2-C) inspection', () => {
  it('tightened is one AQL step stricter than normal for the same sample', () => {
    expect(planForLot({ lotSize: 1000, aql: '1.0', severity: 'tightened' })).toMatchObject({
      sampleSize: 80,
      acceptanceNumber: 1,
      rejectionNumber: 2,
    });
    expect(planForLot({ lotSize: 1000, aql: '2.5', severity: 'tightened' })).toMatchObject({
      sampleSize: 80,
      acceptanceNumber: 3,
      rejectionNumber: 4,
    });
    expect(planForLot({ lotSize: 1000, aql: '4.0', severity: 'tightened' })).toMatchObject({
      sampleSize: 80,
      acceptanceNumber: 5,
      rejectionNumber: 6,
    });
    expect(planForLot({ lotSize: 1000, aql: '6.5', severity: 'tightened' })).toMatchObject({
      sampleSize: 80,
      acceptanceNumber: 8,
      rejectionNumber: 9,
    });
    expect(planForLot({ lotSize: 3000, aql: '0.65', severity: 'tightened' })).toMatchObject({
      sampleSize: 125,
      acceptanceNumber: 1,
      rejectionNumber: 2,
    });
  });

  it('tightened takes a larger sample for Ac 0 than normal (lot 150 at 0.65: 32 instead of 20)', () => {
    expect(planForLot({ lotSize: 150, aql: '0.65' })).toMatchObject({ sampleSize: 20, acceptanceNumber: 0 });
    expect(planForLot({ lotSize: 150, aql: '0.65', severity: 'tightened' })).toMatchObject({
      planLetter: 'G',
      sampleSize: 32,
      acceptanceNumber: 0,
    });
  });

  it('the tightened double arrow after 0/1 leads two rows down (F at 1.5 -> H, n=50, Ac 1)', () => {
    expect(masterPlan('F', '1.5', 'tightened')).toEqual({ planLetter: 'H', sampleSize: 50, ac: 1, re: 2 });
  });

  it('tightened R at 0.025 points down to row S: 3150, Ac 1 Re 2', () => {
    expect(masterPlan('R', '0.025', 'tightened')).toEqual({
      planLetter: 'S',
      sampleSize: 3150,
      ac: 1,
      re: 2,
    });
  });

  it('reduced samples fewer items and accepts more (L at 0.65: 80, Ac 2; M at 0.65: 125, Ac 3)', () => {
    expect(masterPlan('L', '0.65', 'reduced')).toEqual({ planLetter: 'L', sampleSize: 80, ac: 2, re: 3 });
    expect(masterPlan('M', '0.65', 'reduced')).toEqual({ planLetter: 'M', sampleSize: 125, ac: 3, re: 4 });
    expect(planForLot({ lotSize: 1000, aql: '2.5', severity: 'reduced' })).toMatchObject({
      sampleSize: 32,
      acceptanceNumber: 3,
      rejectionNumber: 4,
    });
  });

  it('reduced arrows: K at 0.25 up to J (32, Ac 0); K at 0.40 down to L (80, Ac 1)', () => {
    expect(masterPlan('K', '0.25', 'reduced')).toEqual({ planLetter: 'J', sampleSize: 32, ac: 0, re: 1 });
    expect(masterPlan('K', '0.40', 'reduced')).toEqual({ planLetter: 'L', sampleSize: 80, ac: 1, re: 2 });
  });
});

describe('sample size at least the lot size: inspect 100%', () => {
  it('a lot of 20 at AQL 0.65 follows the arrow to n=20 and inspects all 20', () => {
    expect(planForLot({ lotSize: 20, aql: '0.65' })).toMatchObject({
      codeLetter: 'C',
      planLetter: 'F',
      tableSampleSize: 20,
      sampleSize: 20,
      hundredPercent: true,
      acceptanceNumber: 0,
    });
  });

  it('a lot of 10 at AQL 1.0 would need 13: all 10 are inspected', () => {
    expect(planForLot({ lotSize: 10, aql: '1.0' })).toMatchObject({
      tableSampleSize: 13,
      sampleSize: 10,
      hundredPercent: true,
    });
  });

  it('a lot of one item is inspected whole', () => {
    expect(planForLot({ lotSize: 1, aql: '2.5' })).toMatchObject({ sampleSize: 1, hundredPercent: true });
  });
});

describe('judging a lot', () => {
  it('accepts up to Ac nonconforming items and rejects at Re', () => {
    const plan = planForLot({ lotSize: 1000, aql: '2.5' });
    expect(lotAccepted(plan, 5)).toBe(true);
    expect(lotAccepted(plan, 6)).toBe(false);
  });

  it('for the switching score, reads the next tighter AQL of the same row (J 2.5 is 5/6, J 1.5 is 3/4)', () => {
    const plan = planForLot({ lotSize: 1000, aql: '2.5' });
    expect(acceptedOneStepTighter(plan, 3)).toBe(true);
    expect(acceptedOneStepTighter(plan, 4)).toBe(false);
  });
});
