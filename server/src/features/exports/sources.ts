import { EXPORT_ROW_LIMIT, type ExportKind, type ExportQuery } from '@shared/exports/exports';
import type { KpiReport, Rate } from '@shared/kpis/report';
import type { Queryable } from '../../db/types';
import { kpiReport } from '../kpis/report';
import { Params, resolveScope, scopeConditions, where, windowOf } from '../kpis/scope';
import type { CellValue, Column, Sheet } from './cells';
import { exceptionFilterConditions } from './exception-filter-sql';

const col = (header: string, kind: Column['kind'] = 'text'): Column => ({ header, kind });

async function exceptionsSheet(db: Queryable, q: ExportQuery, now: Date): Promise<Sheet> {
  const scope = resolveScope(q, now);
  const p = new Params();
  const conds = [
    ...scopeConditions(scope, p, 'e.assignee_id'),
    ...exceptionFilterConditions(q.filter ?? {}, p),
  ];
  if (q.from || q.to) {
    const w = windowOf(scope);
    conds.push(`e.opened_at >= ${p.add(w.start)}::timestamptz`, `e.opened_at < ${p.add(w.end)}::timestamptz`);
  }
  const rows = await db.query<Record<string, CellValue>>(
    `SELECT e.id, e.type, e.status, e.channel, e.partner_account_id, e.customer_id, e.customer_name, e.agreement_id,
            e.offer_id, e.product_code, e.partner_invoice_id, e.period_start::text AS period_start,
            e.expected_amount::text AS expected_amount, e.expected_currency, e.actual_amount::text AS actual_amount,
            e.actual_currency, e.variance_amount::text AS variance_amount, e.variance_currency, e.priority,
            to_json(e.opened_at)#>>'{}' AS opened_at, to_json(e.sla_due_at)#>>'{}' AS sla_due_at, e.assignee_id
     FROM exceptions e ${where(conds)} ORDER BY e.id LIMIT ${EXPORT_ROW_LIMIT}`,
    p.values,
  );
  const columns: [string, Column][] = [
    ['id', col('Exception')],
    ['type', col('Type')],
    ['status', col('Status')],
    ['channel', col('Channel')],
    ['partner_account_id', col('Partner account')],
    ['customer_id', col('Customer id')],
    ['customer_name', col('Customer')],
    ['agreement_id', col('Agreement')],
    ['offer_id', col('Offer')],
    ['product_code', col('Product')],
    ['partner_invoice_id', col('Partner invoice')],
    ['period_start', col('Period start', 'day')],
    ['expected_amount', col('Expected', 'amount')],
    ['expected_currency', col('Expected currency')],
    ['actual_amount', col('Actual', 'amount')],
    ['actual_currency', col('Actual currency')],
    ['variance_amount', col('Variance', 'amount')],
    ['variance_currency', col('Variance currency')],
    ['priority', col('Priority', 'count')],
    ['opened_at', col('Opened', 'time')],
    ['sla_due_at', col('SLA due', 'time')],
    ['assignee_id', col('Assignee')],
  ];
  return table('Exceptions', columns, rows);
}

function table(name: string, columns: [string, Column][], rows: Record<string, CellValue>[]): Sheet {
  return {
    name,
    columns: columns.map(([, c]) => c),
    rows: rows.map((r) => columns.map(([key]) => r[key] ?? null)),
  };
}

async function resultsSheet(db: Queryable, q: ExportQuery, now: Date): Promise<Sheet> {
  const scope = resolveScope(q, now);
  const w = windowOf(scope);
  const p = new Params();
  const conds = [
    `r.occurred_at >= ${p.add(w.start)}::timestamptz`,
    `r.occurred_at < ${p.add(w.end)}::timestamptz`,
    ...scopeConditions(scope, p, 'r.user_id'),
    ...exceptionFilterConditions(q.filter ?? {}, p),
  ];
  const rows = await db.query<Record<string, CellValue>>(
    `SELECT r.id::text AS id, r.exception_id, e.channel, e.partner_account_id, r.user_id, r.code, r.action, r.note,
            r.amount::text AS amount, r.amount_currency, to_json(r.occurred_at)#>>'{}' AS occurred_at,
            r.handle_ms, a.state AS approval
     FROM exception_resolutions r JOIN exceptions e ON e.id = r.exception_id
     LEFT JOIN approvals a ON a.resolution_id = r.id
     ${where(conds)} ORDER BY r.occurred_at, r.id LIMIT ${EXPORT_ROW_LIMIT}`,
    p.values,
  );
  return table(
    'Results',
    [
      ['id', col('Result')],
      ['exception_id', col('Exception')],
      ['channel', col('Channel')],
      ['partner_account_id', col('Partner account')],
      ['user_id', col('Operator')],
      ['code', col('Code')],
      ['action', col('Action')],
      ['note', col('Note')],
      ['amount', col('Amount', 'amount')],
      ['amount_currency', col('Currency')],
      ['occurred_at', col('Recorded', 'time')],
      ['handle_ms', col('Handle ms', 'count')],
      ['approval', col('Approval')],
    ],
    rows,
  );
}

function kpiRows(k: KpiReport): CellValue[][] {
  const out: CellValue[][] = [];
  const rateRow = (figure: string, breakdown: string, r: Rate): void => {
    out.push([figure, breakdown, r.percent, r.numerator, r.denominator, null]);
  };
  const value = (
    figure: string,
    breakdown: string,
    v: number | string | null,
    currency: string | null = null,
  ) => out.push([figure, breakdown, v === null ? null : String(v), null, null, currency]);
  rateRow('Billing accuracy', 'invoices error-free', k.billingAccuracy.invoices);
  rateRow('Billing accuracy', 'credit memos', k.billingAccuracy.creditMemos);
  rateRow('Billing accuracy', 'rebills', k.billingAccuracy.rebills);
  rateRow('Automation rate (lines)', 'all sources', k.automation.total);
  for (const s of k.automation.bySource) rateRow('Automation rate (lines)', s.source, s.rate);
  rateRow('First-pass yield', '', k.firstPassYield.rate);
  rateRow('QA accuracy', '', k.qa.accuracy);
  rateRow('QA critical errors', '', k.qa.criticalErrors);
  for (const b of k.aging.buckets) value('Exception aging (items)', `${b.bucket} days`, b.count);
  value('Cycle time median (s)', '', k.cycleTime.medianSeconds);
  value('Cycle time p90 (s)', '', k.cycleTime.p90Seconds);
  value('Handle time median (s)', '', k.handleTime.medianSeconds);
  value('Handle time p90 (s)', '', k.handleTime.p90Seconds);
  rateRow('SLA attainment', '', k.slaAttainment.rate);
  for (const o of k.throughput.perOperator) value('Throughput per operator', o.name, o.completed);
  for (const t of k.throughput.perTeam) value('Throughput per team', t.team, t.completed);
  for (const d of k.throughput.perDay) value('Throughput per day', d.day, d.completed);
  value('Backlog (items)', 'all', k.backlog.total);
  for (const s of k.backlog.byStatus) value('Backlog (items)', s.status, s.count);
  for (const p of k.partners) {
    value('Escalations per partner', p.partner, p.escalations);
    value('Disputes per partner', p.partner, p.disputes);
  }
  for (const a of k.amountsAtRisk) value('Amount at risk', `${a.items} items`, a.amount, a.currency);
  return out;
}

async function kpisSheet(db: Queryable, q: ExportQuery, now: Date): Promise<Sheet> {
  const report = await kpiReport(
    db,
    {
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.partner ? { partner: q.partner } : {}),
      ...(q.team ? { team: q.team } : {}),
      ...(q.operator ? { operator: q.operator } : {}),
    },
    now,
  );
  return {
    name: `KPIs ${report.scope.from} to ${report.scope.to}`,
    columns: [
      col('Figure'),
      col('Breakdown'),
      col('Value', 'amount'),
      col('Numerator', 'count'),
      col('Denominator', 'count'),
      col('Currency'),
    ],
    rows: kpiRows(report),
  };
}

async function qaDrawsSheet(db: Queryable, q: ExportQuery, now: Date): Promise<Sheet> {
  const scope = resolveScope(q, now);
  const rows = await db.query<Record<string, CellValue>>(
    `SELECT d.id::text AS id, d.lot_date::text AS lot_date, d.policy_id, d.seed::text AS seed, x.value->>'id' AS item,
            x.value->>'reason' AS reason, d.drawn_by, to_json(d.drawn_at)#>>'{}' AS drawn_at
     FROM qa_draws d, jsonb_array_elements(d.result->'sampled') x
     WHERE d.lot_date >= $1::date AND d.lot_date <= $2::date
     ORDER BY d.lot_date, d.drawn_at, item LIMIT ${EXPORT_ROW_LIMIT}`,
    [scope.from, scope.to],
  );
  return table(
    'QA draws',
    [
      ['id', col('Draw')],
      ['lot_date', col('Lot day', 'day')],
      ['policy_id', col('Policy')],
      ['seed', col('Seed')],
      ['item', col('Exception')],
      ['reason', col('Reason')],
      ['drawn_by', col('Drawn by')],
      ['drawn_at', col('Drawn', 'time')],
    ],
    rows,
  );
}

async function auditSheet(db: Queryable, q: ExportQuery, now: Date): Promise<Sheet> {
  const w = windowOf(resolveScope(q, now));
  const rows = await db.query<Record<string, CellValue>>(
    `SELECT l.id::text AS id, to_json(l.at)#>>'{}' AS at, l.actor_id, l.action, l.entity, l.entity_id,
            l.details::text AS details
     FROM audit_log l WHERE l.at >= $1::timestamptz AND l.at < $2::timestamptz
     ORDER BY l.id LIMIT ${EXPORT_ROW_LIMIT}`,
    [w.start, w.end],
  );
  return table(
    'Audit trail',
    [
      ['id', col('Entry')],
      ['at', col('At', 'time')],
      ['actor_id', col('Actor')],
      ['action', col('Action')],
      ['entity', col('Entity')],
      ['entity_id', col('Entity id')],
      ['details', col('Details')],
    ],
    rows,
  );
}

const SOURCES: Record<ExportKind, (db: Queryable, q: ExportQuery, now: Date) => Promise<Sheet>> = {
  exceptions: exceptionsSheet,
  results: resultsSheet,
  kpis: kpisSheet,
  'qa-draws': qaDrawsSheet,
  audit: auditSheet,
};

/** The rows of one export kind, filtered as the query says. */
export function exportSheet(
  db: Queryable,
  kind: ExportKind,
  q: ExportQuery,
  now = new Date(),
): Promise<Sheet> {
  return SOURCES[kind](db, q, now);
}
