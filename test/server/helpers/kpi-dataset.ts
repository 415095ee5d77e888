import type { Queryable } from '@server/db/types';

export interface ItemSpec {
  id: string;
  status: string;
  channel: string;
  partner: string;
  opened: string;
  sla?: string;
  variance?: [string, string];
  assignee?: string;
  invoice?: string;
  type?: string;
  periodStart?: string;
}

/** One exception row as detection would write it; only the columns a test cares about vary. */
export async function insertItem(db: Queryable, s: ItemSpec): Promise<void> {
  const [amount, currency] = s.variance ?? ['1', 'USD'];
  const periodStart = s.periodStart ?? s.opened.slice(0, 10);
  await db.query(
    `INSERT INTO exceptions (id, type, status, channel, partner_account_id, customer_id, customer_name, agreement_id,
       product_code, period_start, period_end, partner_invoice_id, expected_amount, expected_currency, actual_amount,
       actual_currency, variance_amount, variance_currency, priority, sla_due_at, opened_at, updated_at, assignee_id)
     VALUES ($1, $2, $3, $4, $5, 'CUST-1', 'Customer One', 'AGR-1', 'PROD-1', $6::date, $6::date, $7,
       0, $8, $9::numeric, $8, $9::numeric, $8, 3, $10, $11, $11, $12)`,
    [
      s.id,
      s.type ?? 'rate_mismatch',
      s.status,
      s.channel,
      s.partner,
      periodStart,
      s.invoice ?? null,
      currency,
      amount,
      s.sla ?? '2999-01-01T00:00:00Z',
      s.opened,
      s.assignee ?? null,
    ],
  );
}

export interface ResolutionSpec {
  exceptionId: string;
  userId: string;
  action: string;
  at: string;
  handleMs?: number;
  needsApproval?: boolean;
}

let mutationCounter = 0;

/** A resolution as the push records it; returns its id. */
export async function insertResolution(db: Queryable, r: ResolutionSpec): Promise<string> {
  mutationCounter += 1;
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note, occurred_at,
       handle_ms, needs_approval)
     VALUES ($1, $2, 'kpi-test', $3, '01', $4, 'test', $5, $6, $7) RETURNING id::text AS id`,
    [
      r.exceptionId,
      r.userId,
      `m-${mutationCounter}`,
      r.action,
      r.at,
      r.handleMs ?? null,
      r.needsApproval ?? false,
    ],
  );
  return row!.id;
}

export async function insertApproval(
  db: Queryable,
  a: { exceptionId: string; resolutionId: string; requestedBy: string; decidedBy: string; decidedAt: string },
): Promise<void> {
  await db.query(
    `INSERT INTO approvals (exception_id, resolution_id, requested_by, requested_at, state, decided_by, decided_at)
     VALUES ($1, $2::bigint, $3, $4, 'approved', $5, $4)`,
    [a.exceptionId, a.resolutionId, a.requestedBy, a.decidedAt, a.decidedBy],
  );
}

/** An imported file of billed lines (format `aws-billed-revenue`): invoice id and period start per line. */
export async function insertBilledLines(
  db: Queryable,
  sha: string,
  lines: readonly { invoice: string; periodStart: string; partner?: string }[],
  format = 'aws-billed-revenue',
): Promise<string> {
  const [batch] = await db.query<{ id: string }>(
    `INSERT INTO ingest_batches (file_name, sha256, format, record_kind, row_count, imported_by)
     VALUES ('billed.csv', $1, $2, 'billed_line', $3, 'user-lead1') RETURNING id::text AS id`,
    [sha.padEnd(64, '0'), format, lines.length],
  );
  for (const [i, l] of lines.entries()) {
    await db.query(
      `INSERT INTO ingest_billed_lines (batch_id, row_number, format, invoice_ref, partner_account, period_start,
         currency, raw)
       VALUES ($1::bigint, $2, $3, $4, $5, $6::date, 'USD', '{}'::jsonb)`,
      [batch!.id, i + 2, format, l.invoice, l.partner ?? null, l.periodStart],
    );
  }
  return batch!.id;
}

/** A recorded QA draw whose sample is `ids` (the draw's other fields do not matter to KPIs). */
export async function insertDraw(db: Queryable, lotDate: string, ids: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO qa_draws (id, lot_date, seed, policy_id, input, input_sha256, result, drawn_by, drawn_at)
     VALUES (gen_random_uuid(), $1::date, 1, 'test', '{}'::jsonb, repeat('a', 64), $2::jsonb, 'user-lead1', now())`,
    [lotDate, JSON.stringify({ sampled: ids.map((id) => ({ id, reason: 'lot' })), lots: [], strata: [] })],
  );
}
