import { CANDIDATE_COLUMNS, type RuleStatement } from './rule-statement';
import {
  billedLineKey,
  inPeriodDate,
  MARKETPLACE_CUSTOMERS,
  rateCardLateral,
  ref,
  withinSql,
} from './sql-parts';

/** Each invoice line of ours against the contract rate card in force on the invoice date. */
const rateMismatch: RuleStatement = {
  name: 'rate_mismatch',
  params: 'period+mode',
  sql: `
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'rate_mismatch|' || coalesce(b.invoice_ref, '') || '|' || coalesce(b.source_ref, b.row_number::text) || '|' || $3,
    true, 'rate_mismatch', ${withinSql('b.quantity * card.unit_price', 'b.gross', 'b.currency', '$4')},
    coalesce(m.channel, 'direct'), coalesce(m.partner_account, b.partner_account), b.partner_account,
    coalesce(b.customer_ref, m.customer_name, b.partner_account), card.contract_id, NULL, b.product, NULL,
    b.invoice_ref, NULL, b.currency, b.quantity * card.unit_price, b.gross,
    ARRAY[${ref('b', 'b')}, ${ref('r', 'card')}]
  FROM ingest_billed_lines b
  ${rateCardLateral('b.partner_account', 'b.product', 'NULL', 'b.period_start')}
  LEFT JOIN ${MARKETPLACE_CUSTOMERS} m ON m.customer_id = b.partner_account
  WHERE b.format = 'internal-invoices' AND ${inPeriodDate('b.period_start')}
    AND card.unit_price IS NOT NULL AND card.currency = b.currency
    AND b.quantity IS NOT NULL AND b.gross IS NOT NULL AND b.partner_account IS NOT NULL AND b.product IS NOT NULL`,
};

/**
 * The partner's listing fee on each billed line against the fee schedule for the offer's
 * visibility: expected = |billed| x rate, rounded to the currency's minor unit by the rules'
 * rounding mode, so the fee's own rounding is never a discrepancy. Every staged line, any period.
 */
const listingFee: RuleStatement = {
  name: 'listing_fee_mismatch',
  params: 'mode',
  sql: `
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT ${billedLineKey('listing_fee_mismatch', 'f.channel')}, false, 'listing_fee_mismatch',
    ${withinSql('recon_round_minor(abs(b.gross) * lf.rate, mi.places, $1)', 'abs(b.fee)', 'b.currency', '$1')},
    f.channel, b.partner_account, coalesce(am.customer_id, b.partner_account),
    coalesce(am.customer_name, '(unmapped account)'), coalesce(b.offer_id, '-'), b.offer_id,
    coalesce(b.product, '-'), NULL, NULL, NULL, b.currency,
    recon_round_minor(abs(b.gross) * lf.rate, mi.places, $1), abs(b.fee), ARRAY[${ref('b', 'b')}]
  FROM ingest_billed_lines b JOIN recon_formats f ON f.format = b.format
  JOIN recon_listing_fee lf ON lf.channel = f.channel AND lf.visibility = coalesce(b.raw ->> 'Offer Visibility', '')
  JOIN recon_minor mi ON mi.currency = b.currency
  LEFT JOIN recon_account_map am ON am.channel = f.channel AND am.partner_account = b.partner_account
  WHERE b.fee IS NOT NULL AND b.gross IS NOT NULL AND b.partner_account IS NOT NULL`,
};

const PAYOUTS = `
  WITH po AS (
    SELECT f.channel, p.payout_ref, p.currency, min(p.payout_date) AS payout_date, sum(p.net) AS expected,
      array_agg(${ref('p', 'p')} ORDER BY p.batch_id, p.row_number) AS refs
    FROM ingest_payouts p JOIN recon_formats f ON f.format = p.format
    WHERE p.payout_ref IS NOT NULL AND p.net IS NOT NULL AND ${inPeriodDate('p.payout_date')}
    GROUP BY 1, 2, 3),
  bank AS (
    SELECT k.reference, k.currency, sum(k.amount) AS amount,
      array_agg(${ref('k', 'k')} ORDER BY k.batch_id, k.row_number) AS refs
    FROM ingest_bank_lines k WHERE k.reference IS NOT NULL GROUP BY 1, 2),
  -- Cash with no payout reference we know: what a payout with no referenced cash may pair with.
  loose AS (
    SELECT k.* FROM ingest_bank_lines k
    WHERE k.reference IS NULL OR (
      NOT EXISTS (SELECT 1 FROM ingest_payouts p WHERE p.payout_ref = k.reference)
      -- Cash under one of our invoice numbers is that invoice's (short_payment), never a payout's.
      AND NOT EXISTS (SELECT 1 FROM ingest_billed_lines b
        WHERE b.format = 'internal-invoices' AND b.invoice_ref = k.reference))),
  unpaid AS (
    SELECT po.* FROM po WHERE NOT EXISTS (
      SELECT 1 FROM bank WHERE bank.reference = po.payout_ref AND bank.currency = po.currency)),
  suggested AS (
    SELECT u.channel, u.payout_ref, u.currency,
      jsonb_agg(jsonb_build_object('bankLine', ${ref('k', 'l')}, 'amount', l.amount::text, 'valueDate', l.value_date::text)
        ORDER BY l.value_date, l.batch_id, l.row_number) AS lines
    FROM unpaid u JOIN loose l ON l.currency = u.currency AND l.amount = u.expected
    CROSS JOIN recon_settings s
    WHERE abs(l.value_date - u.payout_date) <= s.suggestion_window_days
    GROUP BY 1, 2, 3)`;

/** A payout with no cash under its reference but cash of the same amount nearby: a person confirms. */
const payoutSuggestions: RuleStatement = {
  name: 'payout_suggestions',
  params: 'period',
  sql: `${PAYOUTS}
  INSERT INTO recon_suggested (recon_key, kind, details)
  SELECT 'disbursement_variance|' || s.channel || '|' || s.payout_ref || '|' || $3, 'payout_to_bank_line',
    jsonb_build_object('channel', s.channel, 'payoutId', s.payout_ref, 'currency', s.currency, 'bankLines', s.lines)
  FROM suggested s`,
};

/** What the partner says it paid out against the cash the bank received under that reference. */
const disbursement: RuleStatement = {
  name: 'disbursement_variance',
  params: 'period+mode',
  sql: `${PAYOUTS}
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'disbursement_variance|' || po.channel || '|' || po.payout_ref || '|' || $3, true, 'disbursement_variance',
    ${withinSql('po.expected', 'coalesce(bank.amount, 0)', 'po.currency', '$4')},
    CASE WHEN po.channel IN ('aws', 'azure', 'gcp') THEN po.channel ELSE 'direct' END, po.payout_ref, '-',
    '(payout)', '-', NULL, '-', NULL, NULL, po.payout_ref, po.currency, po.expected, coalesce(bank.amount, 0),
    (po.refs || coalesce(bank.refs, '{}'))[1:200]
  FROM po LEFT JOIN bank ON bank.reference = po.payout_ref AND bank.currency = po.currency
  WHERE NOT EXISTS (SELECT 1 FROM suggested s WHERE s.payout_ref = po.payout_ref AND s.currency = po.currency)`,
};

/**
 * A refund billing event whose parent (the original invoice event) is not in the feed. Every
 * staged event, any period; the latest version of each event by update_date.
 */
const refundUnmatched: RuleStatement = {
  name: 'refund_unmatched',
  params: 'mode',
  sql: `
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'refund_unmatched|aws|' || e.billing_event_id, $1::text IS NULL, 'refund_unmatched', false, 'aws',
    coalesce(e.partner_account, '-'), coalesce(am.customer_id, coalesce(e.partner_account, '-')),
    coalesce(am.customer_name, '(unmapped account)'), '-', NULL, coalesce(e.product, '-'), NULL, e.invoice_id, NULL,
    e.currency, 0, e.amount, ARRAY[${ref('e', 'e')}]
  FROM ingest_billing_events_current e
  LEFT JOIN recon_account_map am ON am.channel = 'aws' AND am.partner_account = e.partner_account
  WHERE e.transaction_type LIKE '%REFUND'
    AND (e.parent_billing_event_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM ingest_billing_events_current parent WHERE parent.billing_event_id = e.parent_billing_event_id))`,
};

/**
 * Cash received under one of our direct customers' invoice numbers against the invoice's stated
 * total. An invoice with no cash yet is open, not short; cash above the total beyond tolerance is
 * unapplied cash, which no exception type covers, so it is left out (never counted as a match).
 */
const shortPayment: RuleStatement = {
  name: 'short_payment',
  params: 'period+mode',
  sql: `
  WITH inv AS (
    SELECT b.invoice_ref, b.partner_account AS customer_id, min(b.customer_ref) AS customer_name, b.currency,
      max(b.stated_total) AS total, array_agg(${ref('b', 'b')} ORDER BY b.batch_id, b.row_number) AS refs
    FROM ingest_billed_lines b
    WHERE b.format = 'internal-invoices' AND b.invoice_ref IS NOT NULL AND b.stated_total > 0
      AND b.partner_account IS NOT NULL AND ${inPeriodDate('b.period_start')}
      AND NOT EXISTS (SELECT 1 FROM recon_account_map am WHERE am.customer_id = b.partner_account)
    GROUP BY 1, 2, 4),
  cash AS (
    SELECT k.reference, k.currency, sum(k.amount) AS amount,
      array_agg(${ref('k', 'k')} ORDER BY k.batch_id, k.row_number) AS refs
    FROM ingest_bank_lines k WHERE k.reference IS NOT NULL GROUP BY 1, 2)
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'short_payment|' || i.invoice_ref || '|' || $3, true, 'short_payment', x.within, 'direct', i.customer_id,
    i.customer_id, coalesce(i.customer_name, i.customer_id), '-', NULL, '-', NULL, i.invoice_ref, NULL, i.currency,
    i.total, c.amount, (i.refs || c.refs)[1:200]
  FROM inv i JOIN cash c ON c.reference = i.invoice_ref AND c.currency = i.currency
  CROSS JOIN LATERAL (SELECT ${withinSql('i.total', 'c.amount', 'i.currency', '$4')} AS within) x
  WHERE c.amount <= i.total OR x.within`,
};

export const MONEY_RULES: readonly RuleStatement[] = [
  rateMismatch,
  listingFee,
  payoutSuggestions,
  disbursement,
  refundUnmatched,
  shortPayment,
];
