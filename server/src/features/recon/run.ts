import { performance } from 'node:perf_hooks';
import type { ReconCounts, ReconRun } from '@shared/api/recon';
import { DEFAULT_RECON_RULES, type ReconRules } from '@shared/recon/rules';
import { appendAudit } from '../../audit/log';
import { LOCK_RECON } from '../../db/locks';
import type { Database, Queryable } from '../../db/types';
import { BILLING_RULES } from './billing-rules';
import { MAPPING_RULES } from './mapping-rules';
import { MONEY_RULES } from './money-rules';
import {
  BUILD_EVIDENCE,
  BUILD_OUT,
  CANDIDATE_COUNTS,
  CLOSE_GONE,
  OPEN_NEW,
  UPDATE_CHANGED,
} from './outcomes';
import { RECORD_LINE_OUTCOMES } from './line-outcomes';
import type { RuleStatement } from './rule-statement';
import { loadRuleTables } from './rule-params';
import { USAGE_RULES } from './usage-rules';
import { KEEP_MATCHED_SAMPLE } from './runs-repo';

export interface RunRequest {
  /** 'YYYY-MM', already validated (shared/api/recon.ts periodSchema). */
  period: string;
  /** Who ran it, as recorded on the run (a user id, or `cli:<name>`). */
  runBy: string;
  /** The audit actor: the signed-in user, or null for the command line. */
  actorId: string | null;
  rules?: ReconRules;
  /** Told how long each statement took (benches). */
  onStep?: (name: string, ms: number) => void;
}

const ANALYZED = [
  'recon_formats',
  'recon_status',
  'recon_listing_fee',
  'recon_account_map',
  'recon_sku_map',
  'ingest_usage_lines',
  'ingest_billed_lines',
  'ingest_billing_events',
  'ingest_payouts',
  'ingest_rate_cards',
  'ingest_bank_lines',
];

/** Every rule, in the order they run. */
export const RULES: readonly RuleStatement[] = [
  ...MAPPING_RULES,
  ...USAGE_RULES,
  ...MONEY_RULES,
  ...BILLING_RULES,
];

/** First day of the month and of the next one, as ISO dates. */
export function periodBounds(period: string): { start: string; end: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { start: `${period}-01`, end: `${next}-01` };
}

async function one<T>(tx: Queryable, sql: string, params: unknown[]): Promise<T> {
  const rows = await tx.query<T>(sql, params);
  if (!rows[0]) throw new Error('expected one row');
  return rows[0];
}

/**
 * One reconciliation of a month, in one transaction under the recon lock: the rules' statements
 * fill the candidates, then the outcomes open, update and auto-clear exceptions (with their feed
 * and audit rows), and a `recon_runs` row records the counts. JavaScript only sequences
 * statements; no source row passes through it.
 */
export async function runReconciliation(db: Database, req: RunRequest): Promise<ReconRun> {
  const rules = req.rules ?? DEFAULT_RECON_RULES;
  const { start, end } = periodBounds(req.period);
  const mode = rules.defaultRounding;
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await step();
    req.onStep?.(name, performance.now() - start);
    return result;
  };
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_RECON]);
    const run = await one<{ id: string; started_at: Date }>(
      tx,
      `INSERT INTO recon_runs (period, run_by, rules) VALUES ($1, $2, $3::jsonb) RETURNING id, started_at`,
      [req.period, req.runBy, JSON.stringify(rules)],
    );
    await loadRuleTables(tx, rules);
    // Staging tables are bulk-loaded just before a run and temporary tables are never analysed by
    // autovacuum: without fresh statistics the planner expects one row and nests loops (measured:
    // 2 s instead of 0.1 s for 4k lines a side).
    await timed('analyze', () => tx.exec(`ANALYZE ${ANALYZED.join(', ')}`));
    for (const rule of RULES) {
      const params =
        rule.params === 'mode'
          ? [mode]
          : rule.params === 'period'
            ? [start, end, req.period]
            : [start, end, req.period, mode];
      await timed(rule.name, () => tx.query(rule.sql, params));
    }
    await timed('outcomes', () => tx.query(BUILD_OUT, [mode]));
    await timed('evidence', () => tx.exec(BUILD_EVIDENCE));
    await timed('line outcomes', () => tx.query(RECORD_LINE_OUTCOMES, [run.id, req.period, start]));
    const candidates = await one<{ matched: number; skipped: number; discrepancies: number }>(
      tx,
      CANDIDATE_COUNTS,
      [],
    );
    // What matched, for the lead's drill-down (a sample; the count above is exact).
    await timed('matched', () => tx.query(KEEP_MATCHED_SAMPLE, [run.id]));
    const opened = await timed('open', () =>
      one<{ n: number }>(tx, OPEN_NEW, [run.id, req.actorId, req.period, start, end]),
    );
    const updated = await timed('update', () =>
      one<{ n: number }>(tx, UPDATE_CHANGED, [run.id, req.actorId]),
    );
    const closed = await timed('close', () =>
      one<{ n: number }>(tx, CLOSE_GONE, [run.id, req.actorId, req.period]),
    );
    // Suggestions are the run's view of the month: the period's earlier ones give way to these.
    await tx.query('DELETE FROM recon_suggestions WHERE period = $1', [req.period]);
    const suggested = await tx.query(
      `INSERT INTO recon_suggestions (period, recon_key, kind, details, run_id)
       SELECT DISTINCT ON (recon_key) $1, recon_key, kind, details, $2 FROM recon_suggested ORDER BY recon_key
       RETURNING id`,
      [req.period, run.id],
    );
    const counts: ReconCounts = {
      matched: candidates.matched,
      suggested: suggested.length,
      opened: opened.n,
      updated: updated.n,
      closed: closed.n,
      unchanged: candidates.discrepancies - opened.n - updated.n,
      skipped: candidates.skipped,
    };
    const done = await one<{ finished_at: Date }>(
      tx,
      `UPDATE recon_runs SET finished_at = clock_timestamp(), matched = $2, suggested = $3, opened = $4,
         updated = $5, closed = $6, unchanged = $7, skipped = $8
       WHERE id = $1 RETURNING finished_at`,
      [
        run.id,
        counts.matched,
        counts.suggested,
        counts.opened,
        counts.updated,
        counts.closed,
        counts.unchanged,
        counts.skipped,
      ],
    );
    await appendAudit(tx, [
      {
        actorId: req.actorId,
        action: 'recon.run',
        entity: 'recon_run',
        entityId: run.id,
        details: { period: req.period, runBy: req.runBy, rulesVersion: rules.version, ...counts },
      },
    ]);
    return {
      id: run.id,
      period: req.period,
      runBy: req.runBy,
      startedAt: run.started_at.toISOString(),
      finishedAt: done.finished_at.toISOString(),
      rulesVersion: rules.version,
      ...counts,
    };
  });
}
