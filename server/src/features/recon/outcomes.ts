/**
 * From the candidates of one run to exceptions, set-based: what is not within tolerance becomes
 * `recon_out` (one row per deterministic key, variance rounded to the currency's minor unit,
 * priority from the rules' thresholds), with its evidence built from the staged source rows.
 * Then three statements open new keys, update changed ones and auto-clear the ones no longer
 * found, each writing the exception rows, their change-feed rows (the operators' sync) and
 * their audit rows together.
 */

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** $1 rounding mode. */
export const BUILD_OUT = `
CREATE TEMPORARY TABLE recon_out ON COMMIT DROP AS
SELECT DISTINCT ON (c.recon_key) c.recon_key, c.period_bound, c.type, c.channel,
  left(c.partner_account, 64) AS partner_account, left(c.customer_id, 64) AS customer_id,
  left(c.customer_name, 200) AS customer_name, left(c.agreement_id, 64) AS agreement_id,
  left(c.offer_id, 64) AS offer_id, left(c.product_code, 64) AS product_code, left(c.dimension, 64) AS dimension,
  left(c.partner_invoice_id, 64) AS partner_invoice_id, left(c.payout_id, 64) AS payout_id, c.currency,
  c.expected, c.actual, c.refs,
  recon_round_minor(c.actual - c.expected, mi.places, $1) AS variance,
  CASE WHEN abs(c.actual - c.expected) >= pr.p1 THEN 1 WHEN abs(c.actual - c.expected) >= pr.p2 THEN 2
       WHEN abs(c.actual - c.expected) >= pr.p3 THEN 3 WHEN abs(c.actual - c.expected) >= pr.p4 THEN 4 ELSE 5 END
    AS priority,
  md5(concat_ws('|', c.type, c.currency, trim_scale(c.expected)::text, trim_scale(c.actual)::text,
    array_to_string(c.refs, ','))) AS fingerprint
FROM recon_candidates c
JOIN recon_minor mi ON mi.currency = c.currency
JOIN recon_priority pr ON pr.currency = c.currency
WHERE NOT c.within
ORDER BY c.recon_key, c.refs`;

export const BUILD_EVIDENCE = `
CREATE TEMPORARY TABLE recon_evidence ON COMMIT DROP AS
SELECT o.recon_key, json_agg(json_build_object(
    'id', r.ref,
    'source', f.source,
    'reference', left(coalesce(nullif(src.reference, ''), 'row ' || p.n), 128),
    'receivedAt', to_char(ib.imported_at AT TIME ZONE 'UTC', ${ISO_UTC}),
    'fields', (SELECT coalesce(json_object_agg(j.key, coalesce(j.value #>> '{}', '')), '{}'::json)
               FROM jsonb_each(src.raw) AS j)
  ) ORDER BY r.ord) AS evidence
FROM recon_out o
CROSS JOIN LATERAL unnest(o.refs) WITH ORDINALITY AS r(ref, ord)
CROSS JOIN LATERAL (SELECT split_part(r.ref, ':', 1) AS k, split_part(r.ref, ':', 2)::bigint AS b,
  split_part(r.ref, ':', 3)::integer AS n) p
CROSS JOIN LATERAL (
  SELECT format, source_ref AS reference, raw FROM ingest_usage_lines
    WHERE p.k = 'u' AND batch_id = p.b AND row_number = p.n
  UNION ALL SELECT format, source_ref, raw FROM ingest_billed_lines
    WHERE p.k = 'b' AND batch_id = p.b AND row_number = p.n
  UNION ALL SELECT format, billing_event_id, raw FROM ingest_billing_events
    WHERE p.k = 'e' AND batch_id = p.b AND row_number = p.n
  UNION ALL SELECT format, coalesce(source_ref, payout_ref), raw FROM ingest_payouts
    WHERE p.k = 'p' AND batch_id = p.b AND row_number = p.n
  UNION ALL SELECT format, contract_id, raw FROM ingest_rate_cards
    WHERE p.k = 'r' AND batch_id = p.b AND row_number = p.n
  UNION ALL SELECT format, reference, raw FROM ingest_bank_lines
    WHERE p.k = 'k' AND batch_id = p.b AND row_number = p.n) src
JOIN ingest_batches ib ON ib.id = p.b
JOIN recon_formats f ON f.format = src.format
GROUP BY o.recon_key`;

const details = (alias: string): string =>
  `jsonb_build_object('runId', $1::bigint::text, 'reconKey', ${alias}.recon_key, 'variance', trim_scale(${alias}.variance)::text,
    'currency', ${alias}.currency)`;

/**
 * The tail every writer shares: a feed upsert per touched exception (for its holder, or for the
 * readers of everything), an audit row per exception, and the count. `cte` names the touched
 * rows (columns id, assignee_id and what `details` reads), `alias` its alias.
 */
const feedAuditCount = (cte: string, alias: string, action: string): string => `
feed AS (
  INSERT INTO change_feed (entity, entity_id, op, data, audience)
  SELECT 'exception', id, 'upsert', NULL, assignee_id FROM ${cte} ORDER BY id),
audit AS (
  INSERT INTO audit_log (at, actor_id, action, entity, entity_id, details)
  SELECT now(), $2::text, '${action}', 'exception', ${alias}.id, ${details(alias)} FROM ${cte} ${alias} ORDER BY ${alias}.id
  RETURNING id),
pending AS (INSERT INTO audit_pending (audit_id) SELECT id FROM audit)
SELECT count(*)::int AS n FROM ${cte}`;

/** $1 run id, $2 actor (null from the CLI), $3 period, $4 first day, $5 first day of the next month. */
export const OPEN_NEW = `
WITH fresh AS (
  SELECT o.*, 'EX-R' || lpad(nextval('recon_exception_seq')::text, 7, '0') AS id, NULL::text AS assignee_id
  FROM recon_out o WHERE NOT EXISTS (SELECT 1 FROM recon_exceptions k WHERE k.recon_key = o.recon_key)),
ins AS (
  INSERT INTO exceptions (id, type, status, channel, partner_account_id, customer_id, customer_name, agreement_id,
    offer_id, product_code, dimension, period_start, period_end, partner_invoice_id, payout_id, expected_amount,
    expected_currency, actual_amount, actual_currency, variance_amount, variance_currency, evidence, priority,
    sla_due_at, opened_at, updated_at, assignee_id, version)
  SELECT f.id, f.type, 'open', f.channel, f.partner_account, f.customer_id, f.customer_name, f.agreement_id,
    f.offer_id, f.product_code, f.dimension, $4::date, $5::date - 1, f.partner_invoice_id, f.payout_id,
    f.expected, f.currency, f.actual, f.currency, f.variance, f.currency, coalesce(ev.evidence, '[]'::json),
    f.priority, now() + make_interval(hours => coalesce(rp.sla_hours, 72)), now(), now(), NULL, 1
  FROM fresh f LEFT JOIN recon_evidence ev ON ev.recon_key = f.recon_key
  LEFT JOIN recon_partner rp ON rp.channel = f.channel),
keys AS (
  INSERT INTO recon_exceptions (recon_key, exception_id, period, fingerprint, first_run_id, last_run_id)
  SELECT recon_key, id, CASE WHEN period_bound THEN $3::text END, fingerprint, $1::bigint, $1::bigint FROM fresh),
${feedAuditCount('fresh', 'f', 'exception.recon_opened')}`;

/** $1 run id, $2 actor. Items a person already settled (resolved, closed) are left as they are. */
export const UPDATE_CHANGED = `
WITH cur AS (
  SELECT o.*, k.exception_id AS id, e.assignee_id
  FROM recon_out o JOIN recon_exceptions k ON k.recon_key = o.recon_key JOIN exceptions e ON e.id = k.exception_id
  WHERE k.fingerprint <> o.fingerprint AND e.status NOT IN ('resolved', 'closed', 'auto_cleared')
  FOR UPDATE OF e),
upd AS (
  UPDATE exceptions e SET expected_amount = c.expected, expected_currency = c.currency, actual_amount = c.actual,
    actual_currency = c.currency, variance_amount = c.variance, variance_currency = c.currency,
    evidence = coalesce(ev.evidence, '[]'::json), priority = c.priority, updated_at = now(), version = e.version + 1
  FROM cur c LEFT JOIN recon_evidence ev ON ev.recon_key = c.recon_key
  WHERE e.id = c.id),
keys AS (
  UPDATE recon_exceptions k SET fingerprint = c.fingerprint, last_run_id = $1::bigint
  FROM cur c WHERE k.recon_key = c.recon_key),
${feedAuditCount('cur', 'c', 'exception.recon_updated')}`;

/**
 * $1 run id, $2 actor, $3 period. A key of this period (or of no period) that the run no longer
 * finds is cleared with no human touch, if no one has started on it; its lease (if any) ends.
 */
export const CLOSE_GONE = `
WITH gone AS (
  SELECT k.recon_key, e.id, e.assignee_id, e.lease_id, e.variance_amount AS variance, e.variance_currency AS currency
  FROM recon_exceptions k JOIN exceptions e ON e.id = k.exception_id
  WHERE (k.period = $3::text OR k.period IS NULL) AND e.status IN ('open', 'assigned', 'pending_partner')
    AND NOT EXISTS (SELECT 1 FROM recon_out o WHERE o.recon_key = k.recon_key)
  FOR UPDATE OF e),
upd AS (
  UPDATE exceptions e SET status = 'auto_cleared', lease_id = NULL, lease_expires_at = NULL, updated_at = now(),
    version = e.version + 1
  FROM gone g WHERE e.id = g.id),
ended AS (
  UPDATE leases l SET ended_at = now(), end_reason = 'a reconciliation run cleared the item'
  FROM gone g WHERE l.lease_id = g.lease_id AND l.ended_at IS NULL),
keys AS (UPDATE recon_exceptions k SET last_run_id = $1::bigint FROM gone g WHERE k.recon_key = g.recon_key),
${feedAuditCount('gone', 'g', 'exception.auto_cleared')}`;

/** Counts over the candidates: keys that matched within tolerance, and discrepancies in a currency
 * the exception record cannot carry yet (shared/money.ts CURRENCIES). */
export const CANDIDATE_COUNTS = `
SELECT count(DISTINCT recon_key) FILTER (WHERE within)::int AS matched,
  count(DISTINCT recon_key) FILTER (WHERE NOT within
    AND NOT EXISTS (SELECT 1 FROM recon_priority pr WHERE pr.currency = c.currency))::int AS skipped,
  (SELECT count(*)::int FROM recon_out) AS discrepancies
FROM recon_candidates c`;
