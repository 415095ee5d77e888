import type { CloseReadiness, CloseSettings } from '@shared/close/close';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import type { Database } from '../../db/types';
import { ApiHttpError, conflict, forbidden, notFound } from '../../http/api-error';
import { assertExceptionPeriodOpen } from './locked-periods';
import { blockingItems, describeBlocking, periodDays, periodRow, readiness } from './readiness';

/**
 * Preparer then reviewer sign-off (two different people); the reviewer's sign-off locks the
 * period. Each refuses while anything blocks the period and names what (409, one issue per
 * item). Every step writes a close_signoffs row and an audit row in its transaction.
 */
export async function signOff(
  db: Database,
  user: AuthUser,
  period: string,
  as: 'preparer' | 'reviewer',
  at = new Date(),
): Promise<CloseReadiness> {
  await db.transaction(async (tx) => {
    const row = await periodRow(tx, period, true);
    if (as === 'preparer' && row.state !== 'open')
      throw conflict(`period ${period} is ${row.state}; only an open period takes a preparer's sign-off`);
    if (as === 'reviewer') {
      if (row.state !== 'prepared')
        throw conflict(`period ${period} is ${row.state}; the reviewer signs after the preparer`);
      if (row.preparer_id === user.id)
        throw forbidden(`you prepared ${period}; another person must review it`);
    }
    const { items, total } = await blockingItems(tx, period);
    if (total > 0) {
      throw new ApiHttpError(
        409,
        'conflict',
        `period ${period} cannot be signed off: ${total} item(s) block it, first: ${describeBlocking(items[0]!)}`,
        items.slice(0, 20).map((item, i) => ({ path: `blocking.${i}`, message: describeBlocking(item) })),
      );
    }
    if (as === 'preparer') {
      await tx.query(
        `UPDATE close_periods SET state = 'prepared', preparer_id = $2, prepared_at = $3 WHERE period = $1`,
        [period, user.id, at.toISOString()],
      );
    } else {
      await tx.query(
        `UPDATE close_periods SET state = 'locked', reviewer_id = $2, reviewed_at = $3 WHERE period = $1`,
        [period, user.id, at.toISOString()],
      );
    }
    const kind = as === 'preparer' ? 'prepare' : 'review';
    await tx.query(`INSERT INTO close_signoffs (period, kind, user_id, at) VALUES ($1, $2, $3, $4)`, [
      period,
      kind,
      user.id,
      at.toISOString(),
    ]);
    await appendAudit(
      tx,
      [{ actorId: user.id, action: `close.${kind}`, entity: 'close_period', entityId: period, details: {} }],
      at,
    );
  });
  return readiness(db, period);
}

/** Takes a prepared or locked period back to open; both sign-offs must be given again. */
export async function reopen(
  db: Database,
  user: AuthUser,
  period: string,
  reason: string,
  at = new Date(),
): Promise<CloseReadiness> {
  await db.transaction(async (tx) => {
    const row = await periodRow(tx, period, true);
    if (row.state === 'open') throw conflict(`period ${period} is already open`);
    await tx.query(
      `UPDATE close_periods SET state = 'open', preparer_id = NULL, prepared_at = NULL, reviewer_id = NULL,
         reviewed_at = NULL WHERE period = $1`,
      [period],
    );
    await tx.query(
      `INSERT INTO close_signoffs (period, kind, user_id, at, reason) VALUES ($1, 'reopen', $2, $3, $4)`,
      [period, user.id, at.toISOString(), reason],
    );
    await appendAudit(
      tx,
      [
        {
          actorId: user.id,
          action: 'close.reopen',
          entity: 'close_period',
          entityId: period,
          details: { from: row.state, reason },
        },
      ],
      at,
    );
  });
  return readiness(db, period);
}

/** Explains why a material item may stay unfinished at this close; refused once the period is locked. */
export async function explain(
  db: Database,
  user: AuthUser,
  period: string,
  body: { exceptionId: string; text: string },
  at = new Date(),
): Promise<CloseReadiness> {
  await db.transaction(async (tx) => {
    const { first, last } = periodDays(period);
    const [item] = await tx.query<{ id: string }>(
      'SELECT id FROM exceptions WHERE id = $1 AND period_start BETWEEN $2::date AND $3::date',
      [body.exceptionId, first, last],
    );
    if (!item) throw notFound(`${body.exceptionId} is not an exception of period ${period}`);
    await assertExceptionPeriodOpen(tx, body.exceptionId);
    await tx.query(
      `INSERT INTO close_explanations (period, exception_id, text, explained_by, explained_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (period, exception_id) DO UPDATE SET text = EXCLUDED.text, explained_by = EXCLUDED.explained_by,
         explained_at = EXCLUDED.explained_at`,
      [period, body.exceptionId, body.text, user.id, at.toISOString()],
    );
    await appendAudit(
      tx,
      [
        {
          actorId: user.id,
          action: 'close.explain',
          entity: 'exception',
          entityId: body.exceptionId,
          details: { period, text: body.text },
        },
      ],
      at,
    );
  });
  return readiness(db, period);
}

/** Replaces the expected feeds and the materiality thresholds (admin), audited with what was set. */
export async function saveSettings(
  db: Database,
  user: AuthUser,
  settings: CloseSettings,
  at = new Date(),
): Promise<CloseSettings> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM close_expected_feeds');
    await tx.query(
      `INSERT INTO close_expected_feeds (format, label, active_from, active_to)
       SELECT r.format, r.label, COALESCE(r.active_from, DATE '1970-01-01'), r.active_to
       FROM jsonb_to_recordset($1::jsonb) AS r(format text, label text, active_from date, active_to date)`,
      [
        JSON.stringify(
          settings.expectedFeeds.map((f) => ({
            format: f.format,
            label: f.label,
            active_from: f.activeFrom ?? null,
            active_to: f.activeTo ?? null,
          })),
        ),
      ],
    );
    await tx.query('DELETE FROM close_materiality');
    await tx.query(
      `INSERT INTO close_materiality (currency, threshold, updated_by, updated_at)
       SELECT r.currency, r.threshold::numeric, $2, $3
       FROM jsonb_to_recordset($1::jsonb) AS r(currency text, threshold text)`,
      [JSON.stringify(settings.materiality), user.id, at.toISOString()],
    );
    await appendAudit(
      tx,
      [
        {
          actorId: user.id,
          action: 'close.settings',
          entity: 'close_settings',
          entityId: 'close',
          details: settings,
        },
      ],
      at,
    );
  });
  return settings;
}
