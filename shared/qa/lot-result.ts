import { acceptedOneStepTighter, lotAccepted, type SamplingPlan } from './sampling-plan';
import type { LotResult } from './switching';

/**
 * What the switching rules need from one inspected lot: the verdict under its plan and, for the
 * switching score, whether it would also have passed one AQL step tighter.
 */
export function lotResult(
  plan: SamplingPlan,
  nonconforming: number,
  conditions: Pick<
    LotResult,
    'productionSteady' | 'authorityApprovesReduced' | 'authorityRequiresNormal'
  > = {},
): LotResult {
  if (!Number.isInteger(nonconforming) || nonconforming < 0 || nonconforming > plan.sampleSize) {
    throw new RangeError('nonconforming must be a whole number between 0 and the sample size');
  }
  return {
    accepted: lotAccepted(plan, nonconforming),
    acceptanceNumber: plan.acceptanceNumber,
    acceptedOneStepTighter: acceptedOneStepTighter(plan, nonconforming),
    ...conditions,
  };
}
