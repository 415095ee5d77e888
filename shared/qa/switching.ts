/**
 * The switching rules of ISO 2859-1:1999 clause 9, as a pure state machine over a stream of
 * lots (one lot stream = e.g. one operator's completed items of one SOP module, a lot a day).
 *
 * - normal -> tightened: 2 lots not accepted among 5 or fewer consecutive lots (9.3.1).
 * - tightened -> normal: 5 consecutive lots accepted (9.3.2).
 * - normal -> reduced: switching score >= 30, production steady and the responsible authority
 *   approves (9.3.3); the score starts at 0 on normal and, per lot, adds 3 (Ac >= 2: the lot
 *   would also pass one AQL step tighter) or 2 (Ac 0 or 1: the lot passes), else resets to 0.
 * - reduced -> normal: a lot not accepted, production irregular, or the authority asks (9.3.4).
 * - discontinued: 5 lots in all not accepted while on tightened (9.4); resumed on tightened
 *   only after corrective action (`resumeAfterCorrectiveAction`).
 */

export const INSPECTION_STATES = ['normal', 'tightened', 'reduced', 'discontinued'] as const;
export type InspectionState = (typeof INSPECTION_STATES)[number];

export interface SwitchingState {
  state: InspectionState;
  /** Outcomes (true = accepted) of the lots since normal inspection (re)started, last 5 kept. */
  recentOnNormal: boolean[];
  switchingScore: number;
  /** Consecutive accepted lots on tightened inspection. */
  acceptedRunOnTightened: number;
  /** Lots not accepted since tightened inspection started (cumulative, not consecutive). */
  rejectedOnTightened: number;
}

/** What the inspection of one lot found, with the conditions the rules ask about. */
export interface LotResult {
  accepted: boolean;
  /** The plan's acceptance number (decides +3 or +2 in the switching score). */
  acceptanceNumber: number;
  /** Only read when Ac >= 2: whether the lot also passes at the next tighter AQL. */
  acceptedOneStepTighter?: boolean;
  /** Production at a steady rate (needed to go to reduced; its loss ends reduced). */
  productionSteady?: boolean;
  /** The responsible authority approves reduced inspection. */
  authorityApprovesReduced?: boolean;
  /** The responsible authority asks to go back to normal (ends reduced). */
  authorityRequiresNormal?: boolean;
}

export type SwitchReason =
  | 'two-of-five-rejected'
  | 'five-consecutive-accepted'
  | 'switching-score'
  | 'rejected-on-reduced'
  | 'production-irregular'
  | 'authority-requires-normal'
  | 'five-rejected-on-tightened';

export interface SwitchingStep {
  next: SwitchingState;
  /** Set when this lot moved the stream to another state. */
  switched: { from: InspectionState; to: InspectionState; reason: SwitchReason } | null;
}

export const SWITCHING_SCORE_TO_REDUCE = 30;

export function startNormal(): SwitchingState {
  return {
    state: 'normal',
    recentOnNormal: [],
    switchingScore: 0,
    acceptedRunOnTightened: 0,
    rejectedOnTightened: 0,
  };
}

function startTightened(): SwitchingState {
  return { ...startNormal(), state: 'tightened' };
}

function startReduced(): SwitchingState {
  return { ...startNormal(), state: 'reduced' };
}

export class DiscontinuedError extends Error {
  constructor() {
    super('inspection is discontinued: corrective action must be recorded before lots are inspected again');
  }
}

function nextScore(score: number, lot: LotResult): number {
  if (lot.acceptanceNumber >= 2) return lot.accepted && lot.acceptedOneStepTighter === true ? score + 3 : 0;
  return lot.accepted ? score + 2 : 0;
}

/** Applies one inspected lot to the stream's state; pure. */
export function recordLot(current: SwitchingState, lot: LotResult): SwitchingStep {
  switch (current.state) {
    case 'discontinued':
      throw new DiscontinuedError();
    case 'normal': {
      const recentOnNormal = [...current.recentOnNormal, lot.accepted].slice(-5);
      if (recentOnNormal.filter((accepted) => !accepted).length >= 2) {
        return {
          next: startTightened(),
          switched: { from: 'normal', to: 'tightened', reason: 'two-of-five-rejected' },
        };
      }
      const switchingScore = nextScore(current.switchingScore, lot);
      if (
        switchingScore >= SWITCHING_SCORE_TO_REDUCE &&
        lot.productionSteady === true &&
        lot.authorityApprovesReduced === true
      ) {
        return {
          next: startReduced(),
          switched: { from: 'normal', to: 'reduced', reason: 'switching-score' },
        };
      }
      return { next: { ...current, recentOnNormal, switchingScore }, switched: null };
    }
    case 'tightened': {
      if (!lot.accepted) {
        const rejectedOnTightened = current.rejectedOnTightened + 1;
        if (rejectedOnTightened >= 5) {
          return {
            next: { ...startNormal(), state: 'discontinued', rejectedOnTightened },
            switched: { from: 'tightened', to: 'discontinued', reason: 'five-rejected-on-tightened' },
          };
        }
        return { next: { ...current, rejectedOnTightened, acceptedRunOnTightened: 0 }, switched: null };
      }
      const acceptedRunOnTightened = current.acceptedRunOnTightened + 1;
      if (acceptedRunOnTightened >= 5) {
        return {
          next: startNormal(),
          switched: { from: 'tightened', to: 'normal', reason: 'five-consecutive-accepted' },
        };
      }
      return { next: { ...current, acceptedRunOnTightened }, switched: null };
    }
    case 'reduced': {
      const reason: SwitchReason | null = !lot.accepted
        ? 'rejected-on-reduced'
        : lot.productionSteady === false
          ? 'production-irregular'
          : lot.authorityRequiresNormal === true
            ? 'authority-requires-normal'
            : null;
      if (reason !== null)
        return { next: startNormal(), switched: { from: 'reduced', to: 'normal', reason } };
      return { next: current, switched: null };
    }
  }
}

/** After the supplier's corrective action, inspection resumes on tightened (9.4). */
export function resumeAfterCorrectiveAction(current: SwitchingState): SwitchingState {
  if (current.state !== 'discontinued') throw new Error('only a discontinued stream can be resumed');
  return startTightened();
}
