/**
 * Inter-rater agreement for calibration: Cohen's kappa (two reviewers) and Fleiss' kappa (three
 * or more), per rubric item and overall. Ratios, not money: plain numbers are fine here.
 *
 * A kappa is undefined when chance agreement is already 1 (every rating in one category); it is
 * then reported as null rather than as a made-up 0 or 1.
 */

export const RUBRIC_OUTCOMES = ['pass', 'fail', 'na'] as const;
export type RubricOutcome = (typeof RUBRIC_OUTCOMES)[number];

/** Cohen's kappa for two raters who each rated the same subjects (same order). */
export function cohensKappa<T extends string>(first: readonly T[], second: readonly T[]): number | null {
  if (first.length !== second.length) throw new Error('both raters must rate the same subjects');
  const n = first.length;
  if (n === 0) return null;
  let agree = 0;
  const firstCounts = new Map<T, number>();
  const secondCounts = new Map<T, number>();
  for (let i = 0; i < n; i += 1) {
    const a = first[i] as T;
    const b = second[i] as T;
    if (a === b) agree += 1;
    firstCounts.set(a, (firstCounts.get(a) ?? 0) + 1);
    secondCounts.set(b, (secondCounts.get(b) ?? 0) + 1);
  }
  const observed = agree / n;
  let chance = 0;
  for (const [category, count] of firstCounts)
    chance += (count / n) * ((secondCounts.get(category) ?? 0) / n);
  if (chance === 1) return null;
  return (observed - chance) / (1 - chance);
}

/**
 * Fleiss' kappa. `subjects[i]` holds every rating given to subject i; each subject must have the
 * same number (>= 2) of ratings.
 */
export function fleissKappa<T extends string>(subjects: readonly (readonly T[])[]): number | null {
  const N = subjects.length;
  if (N === 0) return null;
  const raters = subjects[0]?.length ?? 0;
  if (raters < 2) throw new Error('Fleiss kappa needs at least two ratings per subject');
  const totals = new Map<T, number>();
  let sumAgreement = 0;
  for (const ratings of subjects) {
    if (ratings.length !== raters) throw new Error('every subject needs the same number of ratings');
    const counts = new Map<T, number>();
    for (const r of ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
    let squares = 0;
    for (const [category, c] of counts) {
      squares += c * c;
      totals.set(category, (totals.get(category) ?? 0) + c);
    }
    sumAgreement += (squares - raters) / (raters * (raters - 1));
  }
  const meanAgreement = sumAgreement / N;
  let chance = 0;
  for (const c of totals.values()) chance += (c / (N * raters)) ** 2;
  if (chance === 1) return null;
  return (meanAgreement - chance) / (1 - chance);
}

/** One reviewer's outcome for one rubric item of one calibration item. */
export interface CalibrationRating {
  itemId: string;
  rubricItemId: string;
  reviewerId: string;
  outcome: RubricOutcome;
}

export interface AgreementReport {
  method: 'cohen' | 'fleiss';
  reviewers: string[];
  /** Kappa per rubric item (subjects = the calibration items). */
  byRubricItem: Record<string, number | null>;
  /** Kappa over every (item, rubric item) pair together. */
  overall: number | null;
}

/**
 * Agreement of a blind calibration round. Every reviewer must have rated every (item, rubric
 * item) pair exactly once: a gap would make the statistics silently wrong, so it is an error.
 */
export function calibrationAgreement(ratings: readonly CalibrationRating[]): AgreementReport {
  const reviewers = [...new Set(ratings.map((r) => r.reviewerId))].sort();
  if (reviewers.length < 2) throw new Error('calibration needs at least two reviewers');
  const bySubject = new Map<string, Map<string, RubricOutcome>>();
  for (const r of ratings) {
    const key = JSON.stringify([r.rubricItemId, r.itemId]);
    const row = bySubject.get(key) ?? new Map<string, RubricOutcome>();
    if (row.has(r.reviewerId))
      throw new Error(`reviewer ${r.reviewerId} rated ${r.itemId}/${r.rubricItemId} twice`);
    row.set(r.reviewerId, r.outcome);
    bySubject.set(key, row);
  }
  const subjects: { rubricItemId: string; outcomes: RubricOutcome[] }[] = [];
  for (const [key, row] of [...bySubject].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [rubricItemId, itemId] = JSON.parse(key) as [string, string];
    const outcomes = reviewers.map((reviewer) => {
      const outcome = row.get(reviewer);
      if (outcome === undefined)
        throw new Error(`reviewer ${reviewer} did not rate ${itemId}/${rubricItemId}`);
      return outcome;
    });
    subjects.push({ rubricItemId, outcomes });
  }
  const method = reviewers.length === 2 ? 'cohen' : 'fleiss';
  const kappa = (rows: RubricOutcome[][]): number | null =>
    method === 'cohen'
      ? cohensKappa(
          rows.map((r) => r[0] as RubricOutcome),
          rows.map((r) => r[1] as RubricOutcome),
        )
      : fleissKappa(rows);
  const byRubricItem: Record<string, number | null> = {};
  for (const rubricItemId of [...new Set(subjects.map((s) => s.rubricItemId))]) {
    byRubricItem[rubricItemId] = kappa(
      subjects.filter((s) => s.rubricItemId === rubricItemId).map((s) => s.outcomes),
    );
  }
  return { method, reviewers, byRubricItem, overall: kappa(subjects.map((s) => s.outcomes)) };
}
