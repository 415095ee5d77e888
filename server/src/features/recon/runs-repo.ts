import type {
  ReconMatch,
  ReconRun,
  ReconRunDetail,
  ReconRunOutcome,
  ReconSuggestion,
} from '@shared/api/recon';
import type { Queryable } from '../../db/types';

interface RunRow {
  id: string;
  period: string;
  run_by: string;
  started_at: Date;
  finished_at: Date;
  rules_version: string;
  matched: number;
  suggested: number;
  opened: number;
  updated: number;
  closed: number;
  unchanged: number;
  skipped: number;
}

const RUN_COLUMNS = `id::text, period, run_by, started_at, finished_at, rules->>'version' AS rules_version,
  matched, suggested, opened, updated, closed, unchanged, skipped`;

const toRun = (r: RunRow): ReconRun => ({
  id: r.id,
  period: r.period,
  runBy: r.run_by,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at.toISOString(),
  rulesVersion: r.rules_version,
  matched: r.matched,
  suggested: r.suggested,
  opened: r.opened,
  updated: r.updated,
  closed: r.closed,
  unchanged: r.unchanged,
  skipped: r.skipped,
});

/** Finished runs, newest first (a run in progress is one uncommitted transaction, so never seen). */
export async function listRuns(db: Queryable, limit = 50): Promise<ReconRun[]> {
  const rows = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM recon_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toRun);
}

/** Matched keys kept per run, for the drill-down. */
const MATCHED_SAMPLE = 1_000;

/**
 * $1 run id. Taken inside the run, from its candidates, with no ORDER BY: the scan stops at the
 * limit, so a month of millions of lines pays next to nothing for it.
 */
export const KEEP_MATCHED_SAMPLE = `
INSERT INTO recon_run_matches (run_id, recon_key, type, channel, customer_name, currency, expected, actual, refs)
SELECT $1::bigint, recon_key, type, channel, customer_name, currency, expected, actual, refs
FROM recon_candidates WHERE within LIMIT ${MATCHED_SAMPLE}
ON CONFLICT (run_id, recon_key) DO NOTHING`;

/** Outcomes listed per run; the rest are counted. */
const MAX_OUTCOMES = 500;

interface OutcomeRow {
  exception_id: string;
  outcome: ReconRunOutcome['outcome'];
  type: string;
  status: string;
  channel: string;
  customer_name: string | null;
  partner_account_id: string | null;
  variance: string;
  currency: string;
  priority: number;
  total: number;
}

/**
 * One run and what it did, read from its audit rows: every exception the run touched has
 * last_run_id at or after it, so the audit index by entity is read only for those.
 */
export async function runDetail(db: Queryable, id: string): Promise<ReconRunDetail | null> {
  const runs = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM recon_runs WHERE id = $1::bigint AND finished_at IS NOT NULL`,
    [id],
  );
  const run = runs[0];
  if (!run) return null;
  const outcomes = await db.query<OutcomeRow>(
    `SELECT a.entity_id AS exception_id,
       CASE a.action WHEN 'exception.recon_opened' THEN 'opened' WHEN 'exception.recon_updated' THEN 'updated'
         ELSE 'closed' END AS outcome,
       e.type, e.status, e.channel, e.customer_name, e.partner_account_id,
       coalesce(a.details->>'variance', '0') AS variance, coalesce(a.details->>'currency', e.variance_currency) AS currency,
       e.priority, count(*) OVER ()::int AS total
     FROM recon_exceptions k
     JOIN audit_log a ON a.entity = 'exception' AND a.entity_id = k.exception_id
       AND a.action IN ('exception.recon_opened', 'exception.recon_updated', 'exception.auto_cleared')
       AND a.details->>'runId' = $1
     JOIN exceptions e ON e.id = k.exception_id
     WHERE k.last_run_id >= $1::bigint
     ORDER BY e.priority, a.id
     LIMIT $2`,
    [id, MAX_OUTCOMES],
  );
  const suggestions = await db.query<{ recon_key: string; kind: string; details: Record<string, unknown> }>(
    'SELECT recon_key, kind, details FROM recon_suggestions WHERE run_id = $1::bigint ORDER BY recon_key',
    [id],
  );
  const matched = await db.query<ReconMatch>(
    `SELECT recon_key AS "reconKey", type, channel, customer_name AS "customerName",
       trim_scale(expected)::text AS expected, trim_scale(actual)::text AS actual,
       trim_scale(actual - expected)::text AS difference, currency, cardinality(refs) AS sources
     FROM recon_run_matches WHERE run_id = $1::bigint ORDER BY type, recon_key`,
    [id],
  );
  const total = outcomes[0]?.total ?? 0;
  return {
    run: toRun(run),
    matched,
    outcomes: outcomes.map(
      ({ total: _total, exception_id, customer_name, partner_account_id, ...o }): ReconRunOutcome => ({
        ...o,
        exceptionId: exception_id,
        customerName: customer_name,
        partnerAccountId: partner_account_id,
      }),
    ),
    moreOutcomes: Math.max(0, total - outcomes.length),
    suggestions: suggestions.map((s): ReconSuggestion => ({
      reconKey: s.recon_key,
      kind: s.kind,
      details: s.details,
    })),
  };
}
