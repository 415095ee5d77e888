import type { KpiScope } from '@shared/kpis/filters';
import type { KpiReport } from '@shared/kpis/report';
import type { Queryable } from '../../db/types';
import { aggregateConditions, and, drillScope, Params, rate, scopeConditions, windowOf } from './scope';

/** Drill-downs that name items list at most this many ids (the queue's id filter takes 1,000). */
const DRILL_IDS = 1000;

/**
 * Billing accuracy (DOMAIN.md: error-free invoices / all invoices, and credit-memo / rebill
 * rates). Invoices are the invoice ids of the billed lines dated in the period (view
 * kpi_invoice_lines, kept per day in kpi_invoice_days; an invoice with lines in two periods
 * counts in both); an invoice is in error when an exception names it (same channel and partner
 * invoice id); credit-memo and rebill rates count invoices with a resolution of that action.
 * Operator and team do not narrow invoices. The drill-down lists the first exceptions (by id)
 * that name an invoice in error.
 */
export async function billingAccuracy(db: Queryable, scope: KpiScope): Promise<KpiReport['billingAccuracy']> {
  const p = new Params();
  const inv = [`d.day >= ${p.add(scope.from)}::date`, `d.day <= ${p.add(scope.to)}::date`];
  if (scope.channel) inv.push(`d.channel = ${p.add(scope.channel)}`);
  if (scope.partner) inv.push(`d.partner = ${p.add(scope.partner)}`);
  // Rows per day, less the repeats of the few invoices with more than one row in the period.
  const counts = db.query<{ total: number; wrong: number; credit: number; rebill: number }>(
    `WITH daily AS (
       SELECT coalesce(sum(d.invoices), 0) AS total, coalesce(sum(d.wrong), 0) AS wrong,
              coalesce(sum(d.credit), 0) AS credit, coalesce(sum(d.rebill), 0) AS rebill
       FROM kpi_invoice_daily d WHERE ${inv.join(' AND ')}),
     repeats AS (
       SELECT coalesce(sum(k - 1), 0) AS total, coalesce(sum(k - 1) FILTER (WHERE wrong), 0) AS wrong,
              coalesce(sum(k - 1) FILTER (WHERE credit), 0) AS credit,
              coalesce(sum(k - 1) FILTER (WHERE rebill), 0) AS rebill
       FROM (SELECT count(*) AS k, bool_or(d.wrong) AS wrong, bool_or(d.credit) AS credit, bool_or(d.rebill) AS rebill
             FROM kpi_invoice_days d WHERE d.multi AND ${inv.join(' AND ')}
             GROUP BY d.channel, d.invoice_ref) m)
     SELECT (daily.total - repeats.total)::int AS total, (daily.wrong - repeats.wrong)::int AS wrong,
            (daily.credit - repeats.credit)::int AS credit, (daily.rebill - repeats.rebill)::int AS rebill
     FROM daily, repeats`,
    p.values,
  );
  const ids = db.query<{ id: string }>(
    `SELECT DISTINCT e.id
     FROM kpi_invoice_days d JOIN exceptions e ON e.partner_invoice_id = d.invoice_ref AND e.channel = d.channel
     WHERE d.wrong AND ${inv.join(' AND ')}
     ORDER BY e.id LIMIT ${DRILL_IDS}`,
    p.values,
  );
  const [[row], drill] = await Promise.all([counts, ids]);
  const total = row?.total ?? 0;
  return {
    invoices: rate(total - (row?.wrong ?? 0), total),
    creditMemos: rate(row?.credit ?? 0, total),
    rebills: rate(row?.rebill ?? 0, total),
    drill: { ids: drill.map((r) => r.id) },
  };
}

/**
 * Automation rate (DOMAIN.md: items matched or resolved with no human touch / all items),
 * counting lines, per source: view kpi_line_outcomes, lines dated in the period, kept per day
 * in kpi_lines_daily. Until the reconciliation runs record their matched lines, the lines are
 * the exceptions (automated = auto_cleared), so the figure is the share of exceptions no person
 * had to work.
 */
export async function automation(db: Queryable, scope: KpiScope): Promise<KpiReport['automation']> {
  const { start, end } = windowOf(scope);
  const p = new Params();
  const conds = aggregateConditions(scope, p, 'l', null);
  const reconciled = reconciledLines(db, scope);
  const rows = await db.query<{ source: string | null; lines: number; automated: number }>(
    `SELECT l.source, sum(l.lines)::int AS lines, sum(l.automated)::int AS automated
     FROM kpi_lines_daily l
     WHERE l.day >= ${p.add(scope.from)}::date AND l.day <= ${p.add(scope.to)}::date ${and(conds)}
     GROUP BY ROLLUP (l.source)
     HAVING sum(l.lines) <> 0
     ORDER BY l.source NULLS FIRST`,
    p.values,
  );
  const total = rows.find((r) => r.source === null);
  // Opened in the period; the filter's edges are (after, at-or-before], so both move back 1 ms.
  const drill = {
    openedAfter: new Date(Date.parse(start) - 1).toISOString(),
    openedAtOrBefore: new Date(Date.parse(end) - 1).toISOString(),
    ...drillScope(scope),
  };
  return {
    unit: 'lines',
    reconciledLines: await reconciled,
    total: rate(total?.automated ?? 0, total?.lines ?? 0),
    bySource: rows
      .filter((r) => r.source !== null)
      .map((r) => ({
        source: r.source ?? '',
        rate: rate(r.automated, r.lines),
        drill: { ...drill, statuses: ['auto_cleared' as const] },
      })),
  };
}

/**
 * Automation rate over reconciled lines (recon_line_outcomes, features/recon/line-outcomes.ts):
 * lines of the period's days that the latest finished run of their month compared, matched /
 * all, per source.
 */
async function reconciledLines(
  db: Queryable,
  scope: KpiScope,
): Promise<KpiReport['automation']['reconciledLines']> {
  const p = new Params();
  const channel = scope.channel ? `AND o.channel = ${p.add(scope.channel)}` : '';
  const rows = await db.query<{ source: string | null; lines: number; matched: number }>(
    `SELECT o.source, sum(o.lines)::int AS lines, sum(o.matched)::int AS matched
     FROM recon_line_outcomes o
     WHERE o.day >= ${p.add(scope.from)}::date AND o.day <= ${p.add(scope.to)}::date ${channel}
       AND o.run_id IN (SELECT max(id) FROM recon_runs WHERE finished_at IS NOT NULL GROUP BY period)
     GROUP BY ROLLUP (o.source)
     ORDER BY o.source NULLS FIRST`,
    p.values,
  );
  const total = rows.find((r) => r.source === null);
  return {
    total: rate(total?.matched ?? 0, total?.lines ?? 0),
    bySource: rows
      .filter((r) => r.source !== null)
      .map((r) => ({ source: r.source ?? '', rate: rate(r.matched, r.lines) })),
  };
}

/**
 * First-pass yield (DOMAIN.md: completed items that pass QA without rework / all QA-sampled
 * items): items in the QA draws of the period's days; an item failed its first pass when QA
 * recorded a failure for it (kpi_qa_outcomes), it is in rework, or it was completed more than
 * once. Operator and team narrow by who first resolved the item.
 */
export async function firstPassYield(db: Queryable, scope: KpiScope): Promise<KpiReport['firstPassYield']> {
  const p = new Params();
  const conds = scopeConditions(scope, p, 'r.first_user');
  const [row] = await db.query<{ sampled: number; passed: number; failed: string[] | null }>(
    `WITH s AS (
       SELECT DISTINCT x.value->>'id' AS id
       FROM qa_draws d, jsonb_array_elements(d.result->'sampled') x
       WHERE d.lot_date >= ${p.add(scope.from)}::date AND d.lot_date <= ${p.add(scope.to)}::date),
     r AS (
       SELECT r.exception_id,
              count(*) FILTER (WHERE r.action NOT IN ('escalate', 'pending_partner')
                                 AND (NOT r.needs_approval OR a.state = 'approved')) AS completions,
              (array_agg(r.user_id ORDER BY r.occurred_at, r.id))[1] AS first_user
       FROM s JOIN exception_resolutions r ON r.exception_id = s.id
       LEFT JOIN approvals a ON a.resolution_id = r.id
       GROUP BY r.exception_id),
     judged AS (
       SELECT e.id,
              e.status = 'rework' OR COALESCE(r.completions, 0) > 1
              OR EXISTS (SELECT 1 FROM kpi_qa_outcomes q WHERE q.exception_id = e.id AND NOT q.passed) AS failed
       FROM s JOIN exceptions e ON e.id = s.id
       LEFT JOIN r ON r.exception_id = e.id
       ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''})
     SELECT count(*)::int AS sampled, count(*) FILTER (WHERE NOT failed)::int AS passed,
            (array_agg(id ORDER BY id) FILTER (WHERE failed))[1:${DRILL_IDS}] AS failed
     FROM judged`,
    p.values,
  );
  return { rate: rate(row?.passed ?? 0, row?.sampled ?? 0), drill: { ids: row?.failed ?? [] } };
}

/**
 * QA accuracy and critical-error rate (DOMAIN.md): reviews recorded in the period that found no
 * error / all reviews, and reviews that failed a critical rubric item / all reviews (view
 * kpi_qa_outcomes; zero counts until QA reviews are recorded).
 */
export async function qaOutcomes(
  db: Queryable,
  scope: KpiScope,
  window = windowOf(scope),
): Promise<KpiReport['qa']> {
  const p = new Params();
  const conds = scopeConditions(scope, p, 'q.operator_id');
  const [row] = await db.query<{ n: number; passed: number; critical: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE q.passed)::int AS passed,
            count(*) FILTER (WHERE q.critical)::int AS critical
     FROM kpi_qa_outcomes q JOIN exceptions e ON e.id = q.exception_id
     WHERE q.reviewed_at >= ${p.add(window.start)}::timestamptz AND q.reviewed_at < ${p.add(window.end)}::timestamptz
       ${and(conds)}`,
    p.values,
  );
  const n = row?.n ?? 0;
  return { accuracy: rate(row?.passed ?? 0, n), criticalErrors: rate(row?.critical ?? 0, n) };
}
