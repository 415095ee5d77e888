import Decimal from 'decimal.js';
import type { Aql } from './aql-tables';
import type {
  DrawInput,
  DrawItem,
  OperatorStanding,
  SamplingPolicy,
  SamplingRule,
  StratumField,
} from './policy';
import { mulberry32, sampleIds } from './prng';
import { planForLot, type SamplingPlan } from './sampling-plan';
import type { InspectionState } from './switching';

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

export type SampleReason =
  | 'nesting'
  | 'risk-variance'
  | 'risk-write-off'
  | 'risk-escalation'
  | 'stratified'
  | 'lot'
  | 'lot-discontinued';

export interface LotDraw {
  /** "operatorId|sopModuleId": a lot is one operator's items of one module in the draw. */
  stream: string;
  lotSize: number;
  state: InspectionState;
  aql: Aql;
  /** Null while discontinued: every item is reviewed and no plan applies. */
  plan: SamplingPlan | null;
  sampled: number;
}

export interface StratumDraw {
  key: string;
  size: number;
  sampled: number;
}

export interface DrawResult {
  /** Every sampled item id with why, ordered by id. */
  sampled: { id: string; reason: SampleReason }[];
  lots: LotDraw[];
  strata: StratumDraw[];
}

export class DrawPolicyError extends Error {}

/** Nesting lasts until the graduation rule is met (exact decimal comparison, no floats). */
export function inNesting(policy: SamplingPolicy, standing: OperatorStanding | undefined): boolean {
  if (standing === undefined) return true;
  const { minItems, minAccuracyPercent } = policy.graduation;
  if (standing.reviewedItems < minItems) return true;
  return new D(standing.accurateItems)
    .times(100)
    .lessThan(new D(minAccuracyPercent).times(standing.reviewedItems));
}

function riskReason(policy: SamplingPolicy, item: DrawItem): SampleReason | null {
  const threshold = policy.risk.varianceAtLeast[item.variance.currency];
  if (threshold !== undefined && new D(item.variance.amount).abs().greaterThanOrEqualTo(threshold)) {
    return 'risk-variance';
  }
  if (policy.risk.writeOffs && item.writeOff) return 'risk-write-off';
  if (policy.risk.escalations && item.escalated) return 'risk-escalation';
  return null;
}

/** The module's own rule for the tier, else the "*" rule. */
function ruleFor(policy: SamplingPolicy, sopModuleId: string, tier: OperatorStanding['tier']): SamplingRule {
  const rule =
    policy.rules.find((r) => r.sopModuleId === sopModuleId && r.tier === tier) ??
    policy.rules.find((r) => r.sopModuleId === '*' && r.tier === tier);
  if (rule === undefined)
    throw new DrawPolicyError(`policy has no rule for module ${sopModuleId}, tier ${tier}`);
  return rule;
}

function stratumValue(item: DrawItem, field: StratumField): string {
  if (field === 'operator') return item.operatorId;
  if (field === 'type') return item.exceptionType;
  return item.partner;
}

function byKey<T>(map: Map<string, T>): [string, T][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function streamKey(operatorId: string, sopModuleId: string): string {
  return `${operatorId}|${sopModuleId}`;
}

/**
 * The draw, a pure function of its input and seed. Nesting and risk items are always reviewed;
 * the rest go to their rule's stratum or lot. The generator is consumed in one canonical order
 * (strata, then lots, each sorted by key; ids sorted inside), so the same seed and the same
 * population give the same sample whatever order the population was listed in.
 */
export function drawSample(input: DrawInput, seed: number): DrawResult {
  const { policy } = input;
  const ids = new Set<string>();
  for (const item of input.population) {
    if (ids.has(item.id)) throw new DrawPolicyError(`item ${item.id} appears twice in the population`);
    ids.add(item.id);
  }
  const standings = new Map(input.operators.map((o) => [o.operatorId, o]));
  const reasons = new Map<string, SampleReason>();
  const strata = new Map<string, { rule: SamplingRule; ids: string[] }>();
  const lots = new Map<string, { stream: string; aql: Aql; level: 'I' | 'II' | 'III'; ids: string[] }>();

  const population = [...input.population].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const item of population) {
    const standing = standings.get(item.operatorId);
    if (inNesting(policy, standing)) {
      reasons.set(item.id, 'nesting');
      continue;
    }
    const risk = riskReason(policy, item);
    if (risk !== null) {
      reasons.set(item.id, risk);
      continue;
    }
    const rule = ruleFor(policy, item.sopModuleId, (standing as OperatorStanding).tier);
    if (rule.method.kind === 'stratified') {
      const fields = rule.method.strata.map((f) => [f, stratumValue(item, f)]);
      const key = JSON.stringify([rule.sopModuleId, rule.tier, fields]);
      const stratum = strata.get(key) ?? { rule, ids: [] };
      stratum.ids.push(item.id);
      strata.set(key, stratum);
    } else {
      const stream = streamKey(item.operatorId, item.sopModuleId);
      const key = JSON.stringify([rule.sopModuleId, rule.tier, stream]);
      const lot = lots.get(key) ?? { stream, aql: rule.method.aql, level: rule.method.level, ids: [] };
      lot.ids.push(item.id);
      lots.set(key, lot);
    }
  }

  const random = mulberry32(seed);
  const strataOut: StratumDraw[] = [];
  for (const [key, { rule, ids: members }] of byKey(strata)) {
    if (rule.method.kind !== 'stratified') throw new Error('stratum without a stratified rule');
    const proportional = new D(members.length)
      .times(rule.method.ratePercent)
      .dividedBy(100)
      .ceil()
      .toNumber();
    const count = Math.min(members.length, Math.max(rule.method.minPerStratum, proportional));
    for (const id of sampleIds(members, count, random)) reasons.set(id, 'stratified');
    strataOut.push({ key, size: members.length, sampled: count });
  }

  const lotsOut: LotDraw[] = [];
  for (const [, lot] of byKey(lots)) {
    const { stream } = lot;
    const state = input.inspection[stream] ?? 'normal';
    if (state === 'discontinued') {
      // 9.4: acceptance sampling stops until corrective action; meanwhile everything is reviewed.
      for (const id of lot.ids) reasons.set(id, 'lot-discontinued');
      lotsOut.push({
        stream,
        lotSize: lot.ids.length,
        state,
        aql: lot.aql,
        plan: null,
        sampled: lot.ids.length,
      });
      continue;
    }
    const plan = planForLot({ lotSize: lot.ids.length, aql: lot.aql, severity: state, level: lot.level });
    for (const id of sampleIds(lot.ids, plan.sampleSize, random)) reasons.set(id, 'lot');
    lotsOut.push({ stream, lotSize: lot.ids.length, state, aql: lot.aql, plan, sampled: plan.sampleSize });
  }

  const sampled = [...reasons]
    .map(([id, reason]) => ({ id, reason }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { sampled, lots: lotsOut, strata: strataOut };
}
