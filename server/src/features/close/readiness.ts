import type { BlockingItem, CloseReadiness } from '@shared/close/close';
import type { ExceptionType } from '@shared/exception-types';
import { money, type Currency } from '@shared/money';
import type { Queryable } from '../../db/types';

const LISTED = 200;

/** The first and last day of a `YYYY-MM` period. */
export function periodDays(period: string): { first: string; last: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  return { first: `${period}-01`, last };
}

interface PeriodRow {
  state: CloseReadiness['state'];
  preparer_id: string | null;
  prepared_at: Date | null;
  reviewer_id: string | null;
  reviewed_at: Date | null;
}

const NEVER_SIGNED: PeriodRow = {
  state: 'open',
  preparer_id: null,
  prepared_at: null,
  reviewer_id: null,
  reviewed_at: null,
};

/**
 * The period's row. `lock` (sign-off, reopen) creates it `open` on first use and takes it FOR
 * UPDATE, so two sign-offs of one period run one after the other; a read never writes.
 */
export async function periodRow(tx: Queryable, period: string, lock = false): Promise<PeriodRow> {
  if (lock)
    await tx.query('INSERT INTO close_periods (period) VALUES ($1) ON CONFLICT (period) DO NOTHING', [
      period,
    ]);
  const [row] = await tx.query<PeriodRow>(
    `SELECT state, preparer_id, prepared_at, reviewer_id, reviewed_at FROM close_periods WHERE period = $1
     ${lock ? 'FOR UPDATE' : ''}`,
    [period],
  );
  return row ?? NEVER_SIGNED;
}

/**
 * What keeps a period from closing (DOMAIN.md, month-end close controls):
 * - every expected feed received: a batch of the feed's format with a staged row dated in the month;
 * - every record mapped: no unfinished unmapped_account / unmapped_sku exception of the month;
 * - every exception above materiality resolved or explained: an unfinished exception of the month
 *   whose |variance| reaches its currency's threshold (no threshold: every amount is material)
 *   and that has no explanation for this period.
 * An exception belongs to the month of its period_start.
 */
export async function blockingItems(
  db: Queryable,
  period: string,
): Promise<{ items: BlockingItem[]; total: number }> {
  const { first, last } = periodDays(period);
  const rows = await db.query<{
    kind: BlockingItem['kind'];
    format: string | null;
    label: string | null;
    exception_id: string | null;
    type: string | null;
    amount: string | null;
    currency: string | null;
    total: number;
  }>(
    `WITH b AS (
       SELECT 'feed_missing' AS kind, f.format, f.label, NULL::text AS exception_id, NULL::text AS type,
              NULL::text AS amount, NULL::text AS currency, 0 AS ord
       FROM close_expected_feeds f
       WHERE f.active_from <= $2::date AND (f.active_to IS NULL OR f.active_to >= $1::date)
         AND NOT EXISTS (SELECT 1 FROM close_staged_days d
                         WHERE d.format = f.format AND d.day BETWEEN $1::date AND $2::date)
       UNION ALL
       SELECT CASE WHEN e.type IN ('unmapped_account', 'unmapped_sku') THEN 'unmapped' ELSE 'material_unfinished' END,
              NULL, NULL, e.id, e.type, e.variance_amount::text, e.variance_currency,
              CASE WHEN e.type IN ('unmapped_account', 'unmapped_sku') THEN 1 ELSE 2 END
       FROM exceptions e
       LEFT JOIN close_materiality m ON m.currency = e.variance_currency
       WHERE e.period_start BETWEEN $1::date AND $2::date
         AND e.status NOT IN ('resolved', 'closed', 'auto_cleared')
         AND (e.type IN ('unmapped_account', 'unmapped_sku')
              OR (abs(e.variance_amount) >= COALESCE(m.threshold, 0)
                  AND NOT EXISTS (SELECT 1 FROM close_explanations x
                                  WHERE x.period = $3 AND x.exception_id = e.id))))
     SELECT *, count(*) OVER ()::int AS total FROM b ORDER BY ord, format, exception_id LIMIT ${LISTED}`,
    [first, last, period],
  );
  const items = rows.map((r): BlockingItem => {
    if (r.kind === 'feed_missing') return { kind: r.kind, format: r.format ?? '', label: r.label ?? '' };
    if (r.kind === 'unmapped')
      return { kind: r.kind, exceptionId: r.exception_id ?? '', type: r.type as ExceptionType };
    return {
      kind: 'material_unfinished',
      exceptionId: r.exception_id ?? '',
      variance: money(r.amount ?? '0', r.currency as Currency),
    };
  });
  return { items, total: rows[0]?.total ?? 0 };
}

export async function readiness(db: Queryable, period: string): Promise<CloseReadiness> {
  const row = await periodRow(db, period);
  const { items, total } = await blockingItems(db, period);
  return {
    period,
    state: row.state,
    preparer:
      row.preparer_id && row.prepared_at ? { id: row.preparer_id, at: row.prepared_at.toISOString() } : null,
    reviewer:
      row.reviewer_id && row.reviewed_at ? { id: row.reviewer_id, at: row.reviewed_at.toISOString() } : null,
    ready: total === 0,
    blocking: items,
    blockingTotal: total,
  };
}

/** Words for a blocking item, as a refusal names it. */
export function describeBlocking(item: BlockingItem): string {
  switch (item.kind) {
    case 'feed_missing':
      return `feed "${item.label}" (${item.format}) has not been received for the period`;
    case 'unmapped':
      return `${item.exceptionId} (${item.type}) is not mapped yet`;
    case 'material_unfinished':
      return `${item.exceptionId} (variance ${item.variance.amount} ${item.variance.currency}) is above materiality and neither resolved nor explained`;
  }
}
