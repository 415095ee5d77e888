import type { ExceptionRecord } from '@shared/exception';
import { movesMoney } from '@shared/resolution-amount';
import { moduleFor } from '@shared/sop/engine';
import type { SopModule } from '@shared/sop/module';
import type { Queryable } from '../db/types';

/**
 * Every demo item the generator puts in `pending_approval` gets what a real one has: the
 * operator's resolution (an action its SOP holds for a lead, the amount that settles the
 * variance) and a pending approval request, so the Approvals inbox lists exactly the items the
 * queue's "Pending approval" chip counts. An item whose SOP holds no action for a lead cannot be
 * waiting for one: it goes back to the open queue instead.
 *
 * The checklist answers are empty (the demo never followed a checklist) and the note says so.
 */
export async function seedDemoApprovals(
  tx: Queryable,
  records: readonly ExceptionRecord[],
  modules: readonly SopModule[],
  requestedAt: Date,
): Promise<{ requests: number; reopened: number }> {
  const rows: Record<string, unknown>[] = [];
  const reopen: string[] = [];
  for (const r of records) {
    if (r.status !== 'pending_approval') continue;
    const module = moduleFor(modules, r.type);
    const rule = module?.approvals[0];
    const code = module?.resolutions.find((c) => rule && c.actions.includes(rule.action))?.code;
    if (!module || !rule || !code || !r.assigneeId) {
      reopen.push(r.id);
      continue;
    }
    rows.push({
      exception_id: r.id,
      user_id: r.assigneeId,
      mutation_id: `demo-${r.id}`,
      code,
      action: rule.action,
      note: `Demo data: ${rule.action.replace(/_/g, ' ')} of the variance, above the SOP's threshold; no checklist was followed.`,
      amount: movesMoney(rule.action) ? r.variance.amount : null,
      amount_currency: movesMoney(rule.action) ? r.variance.currency : null,
      sop_id: module.id,
      sop_version: module.version,
    });
  }
  if (rows.length > 0) {
    await tx.query(
      `WITH res AS (
         INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note,
           amount, amount_currency, occurred_at, sop_id, sop_version, answers, handle_ms, step_ms, needs_approval)
         SELECT r.exception_id, r.user_id, 'demo-seed', r.mutation_id, r.code, r.action, r.note,
           r.amount::numeric, r.amount_currency, $2::timestamptz, r.sop_id, r.sop_version, '{}'::jsonb, 0,
           '{}'::jsonb, true
         FROM jsonb_to_recordset($1::jsonb) AS r(exception_id text, user_id text, mutation_id text, code text,
           action text, note text, amount text, amount_currency text, sop_id text, sop_version text)
         RETURNING id, exception_id, user_id)
       INSERT INTO approvals (exception_id, resolution_id, requested_by, requested_at)
       SELECT exception_id, id, user_id, $2::timestamptz FROM res`,
      [JSON.stringify(rows), requestedAt.toISOString()],
    );
  }
  if (reopen.length > 0) {
    await tx.query(`UPDATE exceptions SET status = 'open', assignee_id = NULL WHERE id = ANY($1::text[])`, [
      reopen,
    ]);
  }
  return { requests: rows.length, reopened: reopen.length };
}
