import { describe, expect, it } from 'vitest';
import { lotResult } from '@shared/qa/lot-result';
import { planForLot } from '@shared/qa/sampling-plan';
import {
  DiscontinuedError,
  recordLot,
  resumeAfterCorrectiveAction,
  startNormal,
  type LotResult,
  type SwitchingState,
  type SwitchingStep,
} from '@shared/qa/switching';

const pass: LotResult = { accepted: true, acceptanceNumber: 1 };
const fail: LotResult = { accepted: false, acceptanceNumber: 1 };

/** Feeds lots in order; returns every step so a test can see where the state changed. */
function run(start: SwitchingState, lots: readonly LotResult[]): SwitchingStep[] {
  const steps: SwitchingStep[] = [];
  let state = start;
  for (const lot of lots) {
    const step = recordLot(state, lot);
    steps.push(step);
    state = step.next;
  }
  return steps;
}

function last(steps: SwitchingStep[]): SwitchingState {
  const step = steps[steps.length - 1];
  if (step === undefined) throw new Error('no lots');
  return step.next;
}

function tightened(): SwitchingState {
  return last(run(startNormal(), [fail, fail]));
}

describe('normal -> tightened: 2 of 5 or fewer consecutive lots rejected', () => {
  it('two rejections in a row switch at the second', () => {
    const steps = run(startNormal(), [fail, fail]);
    expect(steps[0]?.switched).toBeNull();
    expect(steps[1]?.switched).toEqual({ from: 'normal', to: 'tightened', reason: 'two-of-five-rejected' });
  });

  it('rejections at the first and fifth of five lots switch', () => {
    const steps = run(startNormal(), [fail, pass, pass, pass, fail]);
    expect(steps.map((s) => s.next.state)).toEqual(['normal', 'normal', 'normal', 'normal', 'tightened']);
  });

  it('rejections six lots apart do not (the first has left the window of five)', () => {
    const steps = run(startNormal(), [fail, pass, pass, pass, pass, fail]);
    expect(last(steps).state).toBe('normal');
  });
});

describe('tightened -> normal: 5 consecutive lots accepted', () => {
  it('switches back at the fifth accepted lot', () => {
    const steps = run(tightened(), [pass, pass, pass, pass, pass]);
    expect(steps.slice(0, 4).every((s) => s.next.state === 'tightened')).toBe(true);
    expect(steps[4]?.switched).toEqual({
      from: 'tightened',
      to: 'normal',
      reason: 'five-consecutive-accepted',
    });
  });

  it('a rejection restarts the count of consecutive accepted lots', () => {
    const steps = run(tightened(), [pass, pass, pass, pass, fail, pass, pass, pass, pass]);
    expect(last(steps).state).toBe('tightened');
    expect(last(run(last(steps), [pass])).state).toBe('normal');
  });

  it('back on normal, the 2-of-5 window starts empty', () => {
    const back = last(run(tightened(), [pass, pass, pass, pass, pass]));
    expect(back.recentOnNormal).toEqual([]);
    expect(last(run(back, [fail])).state).toBe('normal');
  });
});

describe('normal -> reduced: switching score of ISO 2859-1:1999, steady production, authority approval', () => {
  const steadyApproved = { productionSteady: true, authorityApprovesReduced: true };

  it('Ac 0 or 1: +2 per accepted lot, so the 15th accepted lot reaches 30 and switches', () => {
    const lots = Array.from({ length: 15 }, () => ({ ...pass, ...steadyApproved }));
    const steps = run(startNormal(), lots);
    expect(steps[13]?.next).toMatchObject({ state: 'normal', switchingScore: 28 });
    expect(steps[14]?.switched).toEqual({ from: 'normal', to: 'reduced', reason: 'switching-score' });
  });

  it('Ac >= 2: +3 when the lot also passes one AQL step tighter, so 10 such lots reach 30', () => {
    const lot: LotResult = {
      accepted: true,
      acceptanceNumber: 5,
      acceptedOneStepTighter: true,
      ...steadyApproved,
    };
    const steps = run(
      startNormal(),
      Array.from({ length: 10 }, () => lot),
    );
    expect(steps[8]?.next).toMatchObject({ state: 'normal', switchingScore: 27 });
    expect(steps[9]?.next.state).toBe('reduced');
  });

  it('Ac >= 2: an accepted lot that would fail one step tighter resets the score to 0', () => {
    const good: LotResult = { accepted: true, acceptanceNumber: 5, acceptedOneStepTighter: true };
    const marginal: LotResult = { accepted: true, acceptanceNumber: 5, acceptedOneStepTighter: false };
    const steps = run(startNormal(), [good, good, good, marginal]);
    expect(steps.map((s) => s.next.switchingScore)).toEqual([3, 6, 9, 0]);
  });

  it('a rejected lot resets the score', () => {
    const steps = run(startNormal(), [pass, pass, pass, fail]);
    expect(steps.map((s) => s.next.switchingScore)).toEqual([2, 4, 6, 0]);
  });

  it('a score of 30 without steady production or without the authority stays on normal', () => {
    const notSteady = run(
      startNormal(),
      Array.from({ length: 20 }, () => ({ ...pass, authorityApprovesReduced: true })),
    );
    expect(last(notSteady)).toMatchObject({ state: 'normal', switchingScore: 40 });
    const notApproved = run(
      startNormal(),
      Array.from({ length: 20 }, () => ({ ...pass, productionSteady: true })),
    );
    expect(last(notApproved).state).toBe('normal');
    // Once approval comes, the score already earned counts.
    expect(last(run(last(notApproved), [{ ...pass, ...steadyApproved }])).state).toBe('reduced');
  });
});

describe('reduced -> normal', () => {
  function reduced(): SwitchingState {
    return last(
      run(
        startNormal(),
        Array.from({ length: 15 }, () => ({
          ...pass,
          productionSteady: true,
          authorityApprovesReduced: true,
        })),
      ),
    );
  }

  it('stays reduced while lots are accepted', () => {
    expect(last(run(reduced(), [pass, pass, pass])).state).toBe('reduced');
  });

  it('a rejected lot returns to normal, with a fresh switching score', () => {
    const step = recordLot(reduced(), fail);
    expect(step.switched).toEqual({ from: 'reduced', to: 'normal', reason: 'rejected-on-reduced' });
    expect(step.next.switchingScore).toBe(0);
  });

  it('irregular production or the authority also return it to normal', () => {
    expect(recordLot(reduced(), { ...pass, productionSteady: false }).switched?.reason).toBe(
      'production-irregular',
    );
    expect(recordLot(reduced(), { ...pass, authorityRequiresNormal: true }).switched?.reason).toBe(
      'authority-requires-normal',
    );
  });
});

describe('discontinuation: 5 lots in all rejected while on tightened', () => {
  it('counts rejections on tightened cumulatively, not consecutively', () => {
    const steps = run(tightened(), [fail, pass, fail, pass, pass, fail, pass, fail]);
    expect(last(steps)).toMatchObject({ state: 'tightened', rejectedOnTightened: 4 });
    const step = recordLot(last(steps), fail);
    expect(step.switched).toEqual({
      from: 'tightened',
      to: 'discontinued',
      reason: 'five-rejected-on-tightened',
    });
  });

  it('refuses further lots until corrective action, then resumes on tightened with fresh counts', () => {
    const stopped = last(run(tightened(), [fail, fail, fail, fail, fail]));
    expect(stopped.state).toBe('discontinued');
    expect(() => recordLot(stopped, pass)).toThrow(DiscontinuedError);
    const resumed = resumeAfterCorrectiveAction(stopped);
    expect(resumed).toMatchObject({ state: 'tightened', rejectedOnTightened: 0, acceptedRunOnTightened: 0 });
    expect(last(run(resumed, [pass, pass, pass, pass, pass])).state).toBe('normal');
  });

  it('only a discontinued stream can be resumed', () => {
    expect(() => resumeAfterCorrectiveAction(startNormal())).toThrow(/discontinued/);
  });

  it('a stint on tightened that ended in normal does not carry its rejections into the next stint', () => {
    const back = last(run(tightened(), [fail, fail, fail, fail, pass, pass, pass, pass, pass]));
    expect(back.state).toBe('normal');
    const again = last(run(back, [fail, fail]));
    expect(again).toMatchObject({ state: 'tightened', rejectedOnTightened: 0 });
  });
});

describe('a lot stream end to end: plans from the tables, verdicts, switching', () => {
  it("an operator's 1000-item days at AQL 2.5 move normal -> tightened -> normal -> reduced -> normal", () => {
    const steady = { productionSteady: true, authorityApprovesReduced: true };
    let state = startNormal();
    const inspect = (nonconforming: number): SwitchingStep => {
      const plan = planForLot({
        lotSize: 1000,
        aql: '2.5',
        severity: state.state === 'discontinued' ? 'normal' : state.state,
      });
      const step = recordLot(state, lotResult(plan, nonconforming, steady));
      state = step.next;
      return step;
    };
    // Normal J: n=80, Ac 5 Re 6. Two lots with 6 nonconforming among five: tightened.
    expect([inspect(6), inspect(2), inspect(6)].map((s) => s.switched?.to ?? null)).toEqual([
      null,
      null,
      'tightened',
    ]);
    // Tightened J: n=80, Ac 3 Re 4. Four nonconforming is a rejection there (it was fine on normal).
    expect(inspect(4).next).toMatchObject({ state: 'tightened', rejectedOnTightened: 1 });
    // Five accepted in a row: back to normal.
    for (let i = 0; i < 4; i += 1) inspect(3);
    expect(inspect(3).switched?.to).toBe('normal');
    // Ac 5 >= 2: +3 per lot that also passes at 1.5 (J: Ac 3). 3 nonconforming passes 1.5 ...
    for (let i = 0; i < 9; i += 1) expect(inspect(3).next.state).toBe('normal');
    // ... and 4 does not: the score goes back to 0 although the lot is accepted.
    expect(inspect(4).next).toMatchObject({ state: 'normal', switchingScore: 0 });
    for (let i = 0; i < 9; i += 1) inspect(0);
    expect(inspect(0).switched).toEqual({ from: 'normal', to: 'reduced', reason: 'switching-score' });
    // Reduced J: n=32, Ac 3 Re 4. Four nonconforming rejects the lot and ends reduced.
    expect(planForLot({ lotSize: 1000, aql: '2.5', severity: 'reduced' })).toMatchObject({
      sampleSize: 32,
      acceptanceNumber: 3,
    });
    expect(inspect(4).switched).toEqual({ from: 'reduced', to: 'normal', reason: 'rejected-on-reduced' });
  });

  it('refuses a nonconforming count the sample cannot hold', () => {
    const plan = planForLot({ lotSize: 1000, aql: '2.5' });
    expect(() => lotResult(plan, 81)).toThrow(RangeError);
    expect(() => lotResult(plan, -1)).toThrow(RangeError);
  });
});
