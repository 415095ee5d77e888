import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { generateDemoExceptions } from '@shared/demo/generate';
import { EXCEPTION_TYPES } from '@shared/exception-types';
import { needsApproval, resolutionProblems } from '@shared/sop/engine';
import {
  MONEY_ACTIONS,
  PLAIN_ACTIONS,
  amountNeedingApproval,
  moduleForException,
  resolutionOf,
  shippedModules,
  solveChecklist,
} from '../support/sop-solver';

/**
 * The test solver must produce answers the engine accepts for every shipped module, whatever
 * the module: the suites that resolve depend on it.
 */
const TODAY = '2025-06-30';
const demo = generateDemoExceptions({ count: 400, seed: 11, now: new Date(`${TODAY}T12:00:00Z`) });

describe('the SOP checklist solver', () => {
  it('finds the shipped modules, one for every exception type', () => {
    expect(shippedModules().length).toBeGreaterThan(0);
    for (const type of EXCEPTION_TYPES) expect(() => moduleForException({ id: type, type })).not.toThrow();
  });

  it('solves every module for its own exercises and for demo items of its types, as the engine checks', () => {
    for (const module of shippedModules()) {
      const items = [
        ...module.exerciseList.map((e) => e.exception),
        ...demo.filter((e) => module.appliesTo.includes(e.type)).slice(0, 25),
      ];
      expect(items.length, module.id).toBeGreaterThan(0);
      for (const exception of items) {
        const solved = solveChecklist(module, exception, TODAY);
        const resolution = resolutionOf(exception, solved.resolution, { today: TODAY });
        expect(
          resolutionProblems({ module, exception, answers: solved.answers, today: TODAY }, resolution),
          `${module.id} ${exception.id}`,
        ).toEqual([]);
      }
    }
  });

  it('honours a preference for plain or money actions, and for or against approval', () => {
    for (const module of shippedModules()) {
      const item = module.exerciseList[0]?.exception ?? demo.find((e) => module.appliesTo.includes(e.type));
      if (!item) throw new Error(`no item for ${module.id}`);
      let exception = item;
      const allows = (actions: readonly string[]): boolean =>
        module.resolutions.some((r) => r.actions.some((a) => actions.includes(a)));
      // Modules need not offer both kinds; where one does, the solver reaches it.
      if (allows(PLAIN_ACTIONS)) {
        const plain = solveChecklist(module, exception, TODAY, { actions: PLAIN_ACTIONS });
        expect(PLAIN_ACTIONS).toContain(plain.resolution.action);
      }
      if (allows(MONEY_ACTIONS)) {
        const money = solveChecklist(module, exception, TODAY, {
          actions: MONEY_ACTIONS,
          amount: { amount: '1', currency: exception.variance.currency },
          approval: 'avoid',
        });
        expect(MONEY_ACTIONS).toContain(money.resolution.action);
      }
      for (const rule of module.approvals) {
        // A lead sees what settles more than the threshold: give the item a variance above it.
        const threshold = rule.above[exception.variance.currency] ?? '0';
        exception = {
          ...item,
          variance: {
            amount: `-${new Decimal(threshold).plus(1).toFixed()}`,
            currency: item.variance.currency,
          },
        };
        const amount = amountNeedingApproval(module, rule.action, exception.variance)!;
        const held = solveChecklist(module, exception, TODAY, {
          actions: [rule.action],
          amount: { amount, currency: exception.variance.currency },
          approval: 'require',
        });
        const resolution = resolutionOf(exception, held.resolution, { amount, today: TODAY });
        expect(needsApproval(module, resolution)).toBe(true);
        expect(
          resolutionProblems({ module, exception, answers: held.answers, today: TODAY }, resolution),
        ).toEqual([]);
      }
    }
  });

  it('says what it cannot find', () => {
    const module = shippedModules()[0]!;
    const exception =
      demo.find((e) => module.appliesTo.includes(e.type)) ?? module.exerciseList[0]!.exception;
    expect(() => solveChecklist(module, exception, TODAY, { code: 'ABANDONED_PAYOUT' })).toThrow(
      /offers nothing acceptable/,
    );
  });
});
