import { describe, expect, it } from 'vitest';
import { generateDemoExceptions } from '@shared/demo/generate';
import { evaluateChecklist } from '@shared/sop/engine';
import { FALLBACK_RUBRIC, RubricMismatchError, reviewRubric, scoreAnswers, scoreOf } from '@shared/qa/rubric';
import { checklistFor } from '../support/sop-solver';

const items = (outcomes: string, critical = ''): { outcome: 'pass' | 'fail' | 'na'; critical: boolean }[] =>
  [...outcomes].map((c, i) => ({
    outcome: c === 'P' ? 'pass' : c === 'F' ? 'fail' : 'na',
    critical: critical[i] === '!',
  }));

describe('QA review score', () => {
  it('is the percent of scored items passed, N/A left out, two places half-even', () => {
    // 9 passed of 10 scored (2 N/A ignored): 90.00, at the pass mark.
    expect(scoreOf(items('PPPPPPPPPFNN'))).toEqual({
      score: '90.00',
      criticalFailed: false,
      outcome: 'pass',
    });
    // 2 of 3: 66.666... -> 66.67, under the pass mark.
    expect(scoreOf(items('PPF'))).toEqual({ score: '66.67', criticalFailed: false, outcome: 'fail' });
    // 1 of 8: 12.5 exactly.
    expect(scoreOf(items('PFFFFFFF')).score).toBe('12.50');
    // Nothing scored: nothing wrong.
    expect(scoreOf(items('NN'))).toEqual({ score: '100.00', criticalFailed: false, outcome: 'pass' });
  });

  it('fails on a critical failure whatever the score', () => {
    // 19 of 20 = 95.00, above the mark, but the failed item is critical.
    const twenty = items('PPPPPPPPPPPPPPPPPPPF', '                   !');
    expect(scoreOf(twenty)).toEqual({ score: '95.00', criticalFailed: true, outcome: 'fail' });
  });

  it('pairs every rubric item with exactly one answer', () => {
    const rubric = [...FALLBACK_RUBRIC];
    expect(() => scoreAnswers(rubric, [])).toThrow(RubricMismatchError);
    const twice = { id: 'resolution:correct', outcome: 'pass' as const, comment: '' };
    expect(() => scoreAnswers(rubric, [twice, twice])).toThrow(/twice/);
    expect(() => scoreAnswers(rubric, [{ ...twice, id: 'x:y' }])).toThrow(/not a rubric item/);
  });
});

describe('QA review rubric', () => {
  it("takes the rubric items of the steps the operator's answers made visible, critical as the SOP says", () => {
    const exceptions = generateDemoExceptions({
      count: 300,
      seed: 15,
      now: new Date('2026-12-01T12:00:00Z'),
    });
    let hiddenWithRubric = 0;
    for (const exception of exceptions) {
      const { evidence: _e, ...summary } = exception;
      const solved = checklistFor(summary, { today: '2026-12-01' });
      const input = {
        module: solved.module,
        exception: summary,
        answers: solved.checklist.answers,
        today: '2026-12-01',
      };
      const visible = new Set(
        evaluateChecklist(input)
          .steps.filter((s) => s.visible)
          .map((s) => s.id),
      );
      const expected = solved.module.stepList
        .filter((s) => visible.has(s.id))
        .flatMap((s) =>
          s.rubric.map((r) => ({ id: `${s.id}:${r.id}`, stepId: s.id, text: r.text, critical: r.critical })),
        );
      expect(reviewRubric(input)).toEqual(expected.length > 0 ? expected : FALLBACK_RUBRIC);
      hiddenWithRubric += solved.module.stepList.filter(
        (s) => !visible.has(s.id) && s.rubric.length > 0,
      ).length;
    }
    // The rule is exercised: some steps with QA checks were hidden and left out.
    expect(hiddenWithRubric).toBeGreaterThan(0);
  });

  it('gives a resolution without an SOP module one critical item', () => {
    expect(reviewRubric(null)).toEqual([
      expect.objectContaining({ id: 'resolution:correct', critical: true }),
    ]);
  });
});
