import Decimal from 'decimal.js';
import type { FiguresRow } from '@shared/api/qa-calibration';
import type { Queryable } from '../../db/types';
import { NO_SOP_MODULE } from './lot-population';

interface CountRow {
  operator_id: string;
  operator_name: string;
  sop_id: string | null;
  reviews: string;
  passed: string;
  critical: string;
  first_reviews: string;
  first_passed: string;
  rework: string;
  /** 1 on the per-operator total row (GROUPING SETS). */
  all_modules: number | string;
}

function percent(part: number, whole: number): string | null {
  if (whole === 0) return null;
  return new Decimal(part).times(100).dividedBy(whole).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
}

/**
 * QA figures per operator and SOP module, and per operator over all modules (`sopModuleId`
 * null), for the live reviews scored in [from, to] (UTC days). The outcome counted is the final
 * one (after a dispute). First-pass yield counts an item once, by its first review: it passed
 * and was not sent back (a later dispute that overturns the fail does not undo the rework).
 */
export async function qaFigures(db: Queryable, from: string, to: string): Promise<FiguresRow[]> {
  const rows = await db.query<CountRow>(
    `SELECT q.operator_id, u.display_name AS operator_name, q.sop_id,
        count(*)::text AS reviews,
        count(*) FILTER (WHERE q.outcome = 'pass')::text AS passed,
        count(*) FILTER (WHERE q.critical_failed)::text AS critical,
        count(*) FILTER (WHERE q.previous_review_id IS NULL)::text AS first_reviews,
        count(*) FILTER (WHERE q.previous_review_id IS NULL AND q.outcome = 'pass' AND NOT q.sent_to_rework)::text
          AS first_passed,
        count(*) FILTER (WHERE q.sent_to_rework)::text AS rework,
        GROUPING(q.sop_id) AS all_modules
       FROM qa_reviews q JOIN users u ON u.id = q.operator_id
      WHERE q.kind = 'live' AND q.state IN ('submitted', 'disputed', 'locked')
        AND q.submitted_at >= $1::date AT TIME ZONE 'UTC' AND q.submitted_at < ($2::date + 1) AT TIME ZONE 'UTC'
      GROUP BY GROUPING SETS ((q.operator_id, u.display_name, q.sop_id), (q.operator_id, u.display_name))
      ORDER BY q.operator_id, GROUPING(q.sop_id) DESC, q.sop_id NULLS FIRST`,
    [from, to],
  );
  return rows.map((r) => {
    const n = (s: string): number => Number(s);
    return {
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      sopModuleId: Number(r.all_modules) === 1 ? null : (r.sop_id ?? NO_SOP_MODULE),
      reviews: n(r.reviews),
      passed: n(r.passed),
      accuracyPercent: percent(n(r.passed), n(r.reviews)),
      criticalErrors: n(r.critical),
      criticalErrorRatePercent: percent(n(r.critical), n(r.reviews)),
      firstReviews: n(r.first_reviews),
      firstPassed: n(r.first_passed),
      firstPassYieldPercent: percent(n(r.first_passed), n(r.first_reviews)),
      reworkCount: n(r.rework),
    };
  });
}
