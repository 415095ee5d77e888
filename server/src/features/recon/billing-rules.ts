import { CANDIDATE_COLUMNS, type RuleStatement } from './rule-statement';
import {
  billedLineKey,
  inPeriodDate,
  inPeriodTs,
  MARKETPLACE_CUSTOMERS,
  ref,
  skuLateral,
  withinSql,
} from './sql-parts';

/**
 * An invoice of ours whose stated total differs from its lines beyond the contract's rounding
 * rule. DOMAIN.md has no type of its own for it: the total is billed at a price its priced lines
 * do not support, which is a pricing error (X12 426 code 01), so it is a `rate_mismatch` keyed by
 * invoice. The rule (half-up or half-even; round the sum or sum the rounded lines) is the
 * customer's contract's, else the rules' defaults, so the difference a rule makes is never a
 * discrepancy.
 */
const invoiceTotal: RuleStatement = {
  name: 'invoice_total',
  params: 'period+mode',
  sql: `
  WITH lines AS (
    SELECT b.invoice_ref, b.partner_account AS customer_id, b.currency, b.period_start, b.stated_total, b.gross,
      coalesce(rule.rounding_mode, $4) AS mode, coalesce(rule.total_rule, s.default_total_rule) AS total_rule,
      mi.places, ${ref('b', 'b')} AS ref
    FROM ingest_billed_lines b JOIN recon_minor mi ON mi.currency = b.currency CROSS JOIN recon_settings s
    LEFT JOIN LATERAL (
      SELECT rc.rounding_mode, rc.total_rule FROM ingest_rate_cards rc
      WHERE rc.customer_ref = b.partner_account AND rc.currency = b.currency AND rc.effective_from <= b.period_start
        AND (rc.effective_to IS NULL OR rc.effective_to >= b.period_start)
      ORDER BY rc.effective_from DESC, rc.batch_id DESC, rc.row_number DESC LIMIT 1) rule ON true
    WHERE b.format = 'internal-invoices' AND ${inPeriodDate('b.period_start')} AND b.invoice_ref IS NOT NULL
      AND b.gross IS NOT NULL AND b.stated_total IS NOT NULL AND b.partner_account IS NOT NULL),
  inv AS (
    SELECT invoice_ref, customer_id, currency, max(stated_total) AS stated,
      CASE WHEN min(total_rule) = 'sum_rounded' THEN sum(recon_round_minor(gross, places, mode))
           ELSE recon_round_minor(sum(gross), min(places), min(mode)) END AS computed,
      (array_agg(ref ORDER BY ref))[1:200] AS refs
    FROM lines GROUP BY 1, 2, 3)
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'rate_mismatch|invoice_total|' || i.invoice_ref || '|' || $3, true, 'rate_mismatch',
    ${withinSql('i.computed', 'i.stated', 'i.currency', '$4')},
    coalesce(m.channel, 'direct'), coalesce(m.partner_account, i.customer_id), i.customer_id,
    coalesce(m.customer_name, i.customer_id), '-', NULL, '-', NULL, i.invoice_ref, NULL, i.currency,
    i.computed, i.stated, i.refs
  FROM inv i LEFT JOIN ${MARKETPLACE_CUSTOMERS} m ON m.customer_id = i.customer_id`,
};

/**
 * A marketplace line billed outside the private offer the customer's deal was sold under (the
 * rate card's `offer_id`, with the `list_price` the discount is taken from): expected is what the
 * deal price makes of the billed amount, rounded to the minor unit. A line billed under the
 * deal's offer matches. Every staged line, any period (the billed-revenue report has no date).
 * Only formats whose offer column is the partner's offer id take part.
 */
const discountNotApplied: RuleStatement = {
  name: 'discount_not_applied',
  params: 'mode',
  sql: `
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT ${billedLineKey('discount_not_applied', 'f.channel')}, false, 'discount_not_applied',
    (b.offer_id IS NOT DISTINCT FROM deal.offer_id OR ${withinSql('x.expected', 'b.gross', 'b.currency', '$1')}),
    f.channel, b.partner_account, am.customer_id, am.customer_name, deal.contract_id, b.offer_id, sm.sku, NULL,
    NULL, NULL, b.currency, x.expected, b.gross, ARRAY[${ref('b', 'b')}, ${ref('r', 'deal')}]
  FROM ingest_billed_lines b JOIN recon_formats f ON f.format = b.format
  JOIN recon_account_map am ON am.channel = f.channel AND am.partner_account = b.partner_account
  ${skuLateral('f.channel', "coalesce(b.product, '')", "''")}
  JOIN LATERAL (
    SELECT rc.contract_id, rc.raw ->> 'offer_id' AS offer_id, rc.unit_price,
      (rc.raw ->> 'list_price')::numeric AS list_price, rc.batch_id, rc.row_number
    FROM ingest_rate_cards rc
    WHERE rc.customer_ref = am.customer_id AND rc.product = sm.sku AND rc.currency = b.currency
      AND rc.raw ->> 'offer_id' IS NOT NULL AND (rc.raw ->> 'list_price')::numeric > 0
    ORDER BY rc.effective_from DESC, rc.batch_id DESC, rc.row_number DESC LIMIT 1) deal ON true
  JOIN recon_minor mi ON mi.currency = b.currency
  CROSS JOIN LATERAL (
    SELECT recon_round_minor(b.gross * deal.unit_price / deal.list_price, mi.places, $1) AS expected) x
  WHERE b.format IN ('aws-billed-revenue', 'gcp-charges-usage') AND b.gross IS NOT NULL`,
};

/**
 * Credits we promised a marketplace customer in the month (negative lines on our invoices: credit
 * memos) against the credit events the partner applied to their account in the month. Signed
 * amounts, so a credit not applied shows as the customer billed that much too much. Only AWS's
 * feed reports credit events.
 */
const creditNotApplied: RuleStatement = {
  name: 'credit_not_applied',
  params: 'period+mode',
  sql: `
  WITH promised AS (
    SELECT b.partner_account AS customer_id, b.currency, sum(b.gross) AS amount,
      array_agg(${ref('b', 'b')} ORDER BY b.batch_id, b.row_number) AS refs
    FROM ingest_billed_lines b
    WHERE b.format = 'internal-invoices' AND b.gross < 0 AND ${inPeriodDate('b.period_start')}
    GROUP BY 1, 2),
  applied AS (
    SELECT am.customer_id, e.currency, sum(e.amount) AS amount,
      array_agg(${ref('e', 'e')} ORDER BY e.batch_id, e.row_number) AS refs
    FROM ingest_billing_events_current e
    JOIN recon_account_map am ON am.channel = 'aws' AND am.partner_account = e.partner_account
    WHERE e.transaction_type LIKE '%CREDIT' AND ${inPeriodTs('e.invoice_date')}
    GROUP BY 1, 2)
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'credit_not_applied|' || p.customer_id || '|' || p.currency || '|' || $3, true, 'credit_not_applied',
    ${withinSql('p.amount', 'coalesce(a.amount, 0)', 'p.currency', '$4')},
    m.channel, m.partner_account, p.customer_id, m.customer_name, '-', NULL, '-', NULL, NULL, NULL, p.currency,
    p.amount, coalesce(a.amount, 0), (p.refs || coalesce(a.refs, '{}'))[1:200]
  FROM promised p JOIN ${MARKETPLACE_CUSTOMERS} m ON m.customer_id = p.customer_id AND m.channel = 'aws'
  LEFT JOIN applied a ON a.customer_id = p.customer_id AND a.currency = p.currency`,
};

/**
 * The tax billed on a marketplace transaction (billed-revenue report) against the tax shares the
 * billing event feed records for it (seller's and AWS's). Compared only once the feed has the
 * transaction, so a feed not yet received is not a variance. Every staged line, any period.
 */
const taxVariance: RuleStatement = {
  name: 'tax_variance',
  params: 'mode',
  sql: `
  -- Not t: withinSql's tolerance table is t.
  WITH tax AS (
    SELECT e.transaction_reference_id AS tx, e.currency,
      sum(e.amount) FILTER (WHERE e.transaction_type IN ('SELLER_TAX_SHARE', 'AWS_TAX_SHARE')) AS amount,
      array_agg(${ref('e', 'e')} ORDER BY e.batch_id, e.row_number)
        FILTER (WHERE e.transaction_type IN ('SELLER_TAX_SHARE', 'AWS_TAX_SHARE')) AS refs
    FROM ingest_billing_events_current e WHERE e.transaction_reference_id IS NOT NULL GROUP BY 1, 2)
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'tax_variance|aws|' || b.source_ref, false, 'tax_variance',
    ${withinSql('coalesce(b.tax, 0)', 'coalesce(tt.amount, 0)', 'b.currency', '$1')},
    'aws', b.partner_account, coalesce(am.customer_id, b.partner_account),
    coalesce(am.customer_name, '(unmapped account)'), '-', b.offer_id, coalesce(b.product, '-'), NULL, NULL, NULL,
    b.currency, coalesce(b.tax, 0), coalesce(tt.amount, 0), (ARRAY[${ref('b', 'b')}] || coalesce(tt.refs, '{}'))[1:200]
  FROM ingest_billed_lines b JOIN tax tt ON tt.tx = b.source_ref AND tt.currency = b.currency
  LEFT JOIN recon_account_map am ON am.channel = 'aws' AND am.partner_account = b.partner_account
  WHERE b.format = 'aws-billed-revenue' AND (b.tax IS NOT NULL OR tt.amount IS NOT NULL)`,
};

/**
 * An Azure earning whose USD figure is not its transaction-currency amount at the exchange rate
 * the same row states, rounded to the cent by the rules' mode. (A check of the stated rate
 * against a monthly or contract rate needs a rate table we do not ingest yet.)
 */
const fxVariance: RuleStatement = {
  name: 'fx_variance',
  params: 'mode',
  sql: `
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT ${billedLineKey('fx_variance', "'azure'")}, false, 'fx_variance',
    ${withinSql('x.expected', 'b.gross', 'b.currency', '$1')},
    'azure', b.partner_account, coalesce(am.customer_id, b.partner_account),
    coalesce(am.customer_name, '(unmapped account)'), '-', NULL, coalesce(b.product, '-'), NULL, b.invoice_ref, NULL,
    b.currency, x.expected, b.gross, ARRAY[${ref('b', 'b')}]
  FROM ingest_billed_lines b JOIN recon_minor mi ON mi.currency = b.currency
  CROSS JOIN LATERAL (SELECT recon_round_minor(
    (b.raw ->> 'earningAmount')::numeric * (b.raw ->> 'earningExchangeRate')::numeric, mi.places, $1) AS expected) x
  LEFT JOIN recon_account_map am ON am.channel = 'azure' AND am.partner_account = b.partner_account
  WHERE b.format = 'azure-earnings' AND b.gross IS NOT NULL AND x.expected IS NOT NULL`,
};

export const BILLING_RULES: readonly RuleStatement[] = [
  invoiceTotal,
  discountNotApplied,
  creditNotApplied,
  taxVariance,
  fxVariance,
];
