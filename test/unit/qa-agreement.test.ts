import { describe, expect, it } from 'vitest';
import {
  calibrationAgreement,
  cohensKappa,
  fleissKappa,
  type CalibrationRating,
  type RubricOutcome,
} from '@shared/qa/agreement';

/**
 * A worked calibration round: ten items, three reviewers (r1, r2, r3), two rubric items.
 * p = pass, f = fail, n = N/A. Columns are the reviewers r1 r2 r3.
 */
const AMOUNT_MATCHES: Record<string, [RubricOutcome, RubricOutcome, RubricOutcome]> = {
  i01: ['pass', 'pass', 'pass'],
  i02: ['pass', 'pass', 'pass'],
  i03: ['pass', 'pass', 'fail'],
  i04: ['fail', 'fail', 'fail'],
  i05: ['pass', 'pass', 'pass'],
  i06: ['pass', 'fail', 'fail'],
  i07: ['pass', 'pass', 'pass'],
  i08: ['fail', 'fail', 'fail'],
  i09: ['pass', 'pass', 'na'],
  i10: ['pass', 'pass', 'pass'],
};
const EVIDENCE_ATTACHED: Record<string, [RubricOutcome, RubricOutcome, RubricOutcome]> = {
  i01: ['pass', 'pass', 'pass'],
  i02: ['pass', 'fail', 'pass'],
  i03: ['fail', 'fail', 'pass'],
  i04: ['pass', 'pass', 'pass'],
  i05: ['fail', 'fail', 'fail'],
  i06: ['pass', 'pass', 'pass'],
  i07: ['na', 'na', 'na'],
  i08: ['pass', 'pass', 'fail'],
  i09: ['pass', 'pass', 'pass'],
  i10: ['fail', 'pass', 'pass'],
};

function ratings(): CalibrationRating[] {
  const out: CalibrationRating[] = [];
  for (const [rubricItemId, table] of [
    ['amount-matches', AMOUNT_MATCHES],
    ['evidence-attached', EVIDENCE_ATTACHED],
  ] as const) {
    for (const [itemId, outcomes] of Object.entries(table)) {
      outcomes.forEach((outcome, i) => out.push({ itemId, rubricItemId, reviewerId: `r${i + 1}`, outcome }));
    }
  }
  return out;
}

describe("Fleiss' kappa: ten items, three reviewers, computed by hand", () => {
  /*
   * amount-matches. Per item, P_i = (sum of squared category counts - 3) / (3 * 2):
   *   unanimous items (i01 i02 i04 i05 i07 i08 i10): (9 - 3) / 6 = 1, seven of them
   *   2-1 splits (i03 p2 f1, i06 p1 f2, i09 p2 n1):  (4 + 1 - 3) / 6 = 1/3, three of them
   *   P-bar = (7 + 3 * 1/3) / 10 = 8 / 10 = 0.8
   * Category totals over 30 ratings: pass 20, fail 9, N/A 1
   *   P-e = (20/30)^2 + (9/30)^2 + (1/30)^2 = (400 + 81 + 1) / 900 = 482 / 900
   *   kappa = (0.8 - 482/900) / (1 - 482/900) = (720 - 482) / (900 - 482) = 238 / 418 = 119 / 209
   */
  it('amount-matches: 119/209', () => {
    expect(fleissKappa(Object.values(AMOUNT_MATCHES))).toBeCloseTo(119 / 209, 12);
  });

  /*
   * evidence-attached.
   *   unanimous (i01 i04 i05 i06 i07 i09): 1 each, six of them
   *   2-1 splits (i02 i03 i08 i10): 1/3 each, four of them
   *   P-bar = (6 + 4/3) / 10 = (22/3) / 10 = 22/30
   * Totals: pass 19, fail 8, N/A 3
   *   P-e = (361 + 64 + 9) / 900 = 434 / 900
   *   kappa = (660/900 - 434/900) / (466/900) = 226 / 466 = 113 / 233
   */
  it('evidence-attached: 113/233', () => {
    expect(fleissKappa(Object.values(EVIDENCE_ATTACHED))).toBeCloseTo(113 / 233, 12);
  });

  /*
   * Overall: the 20 (item, rubric item) pairs together.
   *   sum of P_i = 8 + 22/3 = 46/3; P-bar = (46/3) / 20 = 46/60 = 690/900
   *   Totals over 60 ratings: pass 39, fail 17, N/A 4
   *   P-e = (1521 + 289 + 16) / 3600 = 1826 / 3600
   *   kappa = (2760/3600 - 1826/3600) / (1774/3600) = 934 / 1774 = 467 / 887
   */
  it('overall and per rubric item through calibrationAgreement', () => {
    const report = calibrationAgreement(ratings());
    expect(report.method).toBe('fleiss');
    expect(report.reviewers).toEqual(['r1', 'r2', 'r3']);
    expect(report.byRubricItem['amount-matches']).toBeCloseTo(119 / 209, 12);
    expect(report.byRubricItem['evidence-attached']).toBeCloseTo(113 / 233, 12);
    expect(report.overall).toBeCloseTo(467 / 887, 12);
  });

  it('the order ratings arrive in does not change the figures', () => {
    const forward = calibrationAgreement(ratings());
    const backward = calibrationAgreement([...ratings()].reverse());
    expect(backward).toEqual(forward);
  });
});

describe("Cohen's kappa: two reviewers", () => {
  /*
   * r1 and r2 on amount-matches: they disagree only on i06 (pass / fail).
   *   observed = 9/10
   *   r1: pass 8, fail 2; r2: pass 7, fail 3
   *   chance = (8/10)(7/10) + (2/10)(3/10) = 0.56 + 0.06 = 0.62
   *   kappa = (0.9 - 0.62) / (1 - 0.62) = 0.28 / 0.38 = 14/19
   */
  it('r1 and r2 on amount-matches: 14/19', () => {
    const values = Object.values(AMOUNT_MATCHES);
    expect(
      cohensKappa(
        values.map((v) => v[0]),
        values.map((v) => v[1]),
      ),
    ).toBeCloseTo(14 / 19, 12);
  });

  it('calibrationAgreement uses Cohen for exactly two reviewers', () => {
    const report = calibrationAgreement(ratings().filter((r) => r.reviewerId !== 'r3'));
    expect(report.method).toBe('cohen');
    expect(report.byRubricItem['amount-matches']).toBeCloseTo(14 / 19, 12);
  });

  it('perfect agreement is 1; agreement no better than chance is 0', () => {
    expect(cohensKappa(['pass', 'fail'], ['pass', 'fail'])).toBe(1);
    // observed 1/2; chance (1/2)(1/2) + (1/2)(1/2) = 1/2
    expect(cohensKappa(['pass', 'pass', 'fail', 'fail'], ['pass', 'fail', 'pass', 'fail'])).toBe(0);
  });
});

describe('undefined and malformed cases', () => {
  it('everything in one category leaves kappa undefined (null), not a made-up number', () => {
    expect(cohensKappa(['pass', 'pass'], ['pass', 'pass'])).toBeNull();
    expect(fleissKappa([['na', 'na', 'na']])).toBeNull();
  });

  it('a reviewer who skipped a pair makes the round invalid, naming the gap', () => {
    const missing = ratings().filter(
      (r) => !(r.reviewerId === 'r2' && r.itemId === 'i05' && r.rubricItemId === 'amount-matches'),
    );
    expect(() => calibrationAgreement(missing)).toThrow('reviewer r2 did not rate i05/amount-matches');
  });

  it('a pair rated twice by one reviewer is refused', () => {
    const [first] = ratings();
    expect(() => calibrationAgreement([...ratings(), first as CalibrationRating])).toThrow(/twice/);
  });

  it('one reviewer is not a calibration', () => {
    expect(() => calibrationAgreement(ratings().filter((r) => r.reviewerId === 'r1'))).toThrow(
      /two reviewers/,
    );
  });
});
