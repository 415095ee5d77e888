import type { REVIEW_STATES, ReviewSummary } from '@shared/api/qa-reviews';
import type { RubricOutcome } from '@shared/qa/agreement';

export const REVIEW_STATE_LABELS: Readonly<Record<(typeof REVIEW_STATES)[number], string>> = {
  pending: 'To review',
  awaiting_rework: 'Waiting for rework',
  submitted: 'Scored',
  disputed: 'Disputed',
  locked: 'Locked',
};

export const OUTCOME_LABELS: Readonly<Record<RubricOutcome, string>> = {
  pass: 'Pass',
  fail: 'Fail',
  na: 'N/A',
};

export const KIND_LABELS: Readonly<Record<ReviewSummary['kind'], string>> = {
  live: 'Sampled',
  calibration: 'Calibration',
  known_answer: 'Known answer',
};

export const DISPUTE_DECISION_LABELS = {
  accept: 'Accept',
  partly_accept: 'Partly accept',
  reject: 'Reject',
} as const;

/** A score as people read it: "66.67%", or a dash before it is scored. */
export const scoreText = (score: string | null): string => (score === null ? '—' : `${score}%`);
