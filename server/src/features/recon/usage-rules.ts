import { UNMAPPED_SKU_USAGE } from './mapping-rules';
import { CANDIDATE_COLUMNS, type RuleStatement } from './rule-statement';
import {
  inPeriodDate,
  inPeriodTs,
  MARKETPLACE_CUSTOMERS,
  rateCardLateral,
  ref,
  skuLateral,
  withinSql,
} from './sql-parts';

const PARTNER_USAGE = `ingest_usage_lines u JOIN recon_formats f ON f.format = u.format AND f.channel IN ('aws', 'azure', 'gcp')
  LEFT JOIN recon_account_map am ON am.channel = f.channel AND am.partner_account = u.partner_account
  ${skuLateral('f.channel', "coalesce(u.product, '')", 'u.dimension')}`;

/** Our usage lines of the month, per customer, SKU and dimension, with their references. */
const OUR_USAGE = `(
    SELECT u.partner_account AS customer_id, u.product AS sku, u.dimension, sum(u.quantity) AS qty,
      array_agg(${ref('u', 'u')} ORDER BY u.batch_id, u.row_number) AS refs
    FROM ingest_usage_lines u
    WHERE u.format = 'internal-usage' AND u.product IS NOT NULL AND ${inPeriodTs('u.event_start')}
    GROUP BY 1, 2, 3)`;

/** A partner status that is not an acceptance: one exception per record, of the status's type. */
const meteringStatus: RuleStatement = {
  name: 'metering_status',
  params: 'period',
  sql: `
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT st.type || '|' || f.channel || '|'
      || coalesce(u.source_ref, u.partner_account || '|' || u.dimension || '|' || u.event_start::text) || '|' || $3,
    true, st.type, false, f.channel, u.partner_account, coalesce(am.customer_id, u.partner_account),
    coalesce(am.customer_name, '(unmapped account)'), coalesce(card.contract_id, '-'), NULL,
    coalesce(sm.sku, nullif(u.product, ''), '-'), u.dimension, NULL, NULL,
    coalesce(card.currency, 'USD'), coalesce(u.quantity * card.unit_price, 0), 0,
    ARRAY[${ref('u', 'u')}]
  FROM ${PARTNER_USAGE}
  JOIN recon_status st ON st.channel = f.channel AND st.status = u.status AND st.type IS NOT NULL
  ${rateCardLateral('am.customer_id', 'sm.sku', 'u.dimension', 'u.event_start::date')}
  WHERE ${inPeriodTs('u.event_start')}`,
};

/**
 * Our usage against what the partner took, per customer, SKU and dimension over the month (any
 * number of lines on each side). The partner side counts accepted records and records whose
 * rejection or lateness is already an exception of its own (so one shortfall is one exception);
 * a duplicate never counts. Only customers sold through a marketplace are compared, and a
 * customer and dimension with unmapped partner products waits for the mapping.
 */
const usageMismatch: RuleStatement = {
  name: 'usage_mismatch',
  params: 'period+mode',
  sql: `
  WITH ours AS ${OUR_USAGE},
  blocked AS MATERIALIZED ${UNMAPPED_SKU_USAGE},
  theirs AS (
    SELECT am.customer_id, sm.sku, u.dimension, sum(u.quantity) AS qty,
      array_agg(${ref('u', 'u')} ORDER BY u.batch_id, u.row_number) AS refs
    FROM ${PARTNER_USAGE}
    JOIN recon_status st ON st.channel = f.channel AND st.status = u.status
    WHERE st.type IS DISTINCT FROM 'duplicate_metering' AND am.customer_id IS NOT NULL AND sm.sku IS NOT NULL
      AND ${inPeriodTs('u.event_start')}
    GROUP BY 1, 2, 3),
  pairs AS (
    SELECT coalesce(o.customer_id, t.customer_id) AS customer_id, coalesce(o.sku, t.sku) AS sku,
      coalesce(o.dimension, t.dimension) AS dimension, coalesce(o.qty, 0) AS ours, coalesce(t.qty, 0) AS theirs,
      coalesce(o.refs, '{}') || coalesce(t.refs, '{}') AS refs
    FROM ours o FULL JOIN theirs t
      ON t.customer_id = o.customer_id AND t.sku = o.sku AND t.dimension = o.dimension)
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'usage_mismatch|' || p.customer_id || '|' || p.sku || '|' || p.dimension || '|' || $3, true,
    'usage_mismatch',
    CASE WHEN card.unit_price IS NULL THEN p.ours = p.theirs
      ELSE ${withinSql('p.ours * card.unit_price', 'p.theirs * card.unit_price', 'card.currency', '$4')} END,
    m.channel, m.partner_account, p.customer_id, m.customer_name, coalesce(card.contract_id, '-'), NULL,
    p.sku, p.dimension, NULL, NULL, coalesce(card.currency, 'USD'),
    coalesce(p.ours * card.unit_price, 0), coalesce(p.theirs * card.unit_price, 0), p.refs[1:200]
  FROM pairs p JOIN ${MARKETPLACE_CUSTOMERS} m ON m.customer_id = p.customer_id
  ${rateCardLateral('p.customer_id', 'p.sku', 'p.dimension', '$1::date')}
  WHERE NOT EXISTS (SELECT 1 FROM blocked x WHERE x.customer_id = p.customer_id AND x.dimension = p.dimension)`,
};

/** Usage we metered in the month with no invoice line of ours for that customer and SKU. */
const missingInvoice: RuleStatement = {
  name: 'missing_invoice',
  params: 'period',
  sql: `
  WITH ours AS ${OUR_USAGE},
  used AS (
    SELECT o.* FROM ours o WHERE NOT EXISTS (SELECT 1 FROM ingest_billed_lines b
      WHERE b.format = 'internal-invoices' AND b.partner_account = o.customer_id AND b.product = o.sku
        AND ${inPeriodDate('b.period_start')})),
  priced AS (
    SELECT used.*, card.contract_id, card.currency, used.qty * card.unit_price AS amount
    FROM used ${rateCardLateral('used.customer_id', 'used.sku', 'used.dimension', '$1::date')}),
  agg AS (
    SELECT customer_id, sku, min(contract_id) AS contract_id, min(currency) AS currency, sum(amount) AS amount
    FROM priced GROUP BY 1, 2),
  evidence AS (
    SELECT p.customer_id, p.sku, (array_agg(r ORDER BY r))[1:200] AS refs
    FROM priced p CROSS JOIN LATERAL unnest(p.refs) AS r GROUP BY 1, 2)
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT 'missing_invoice|' || a.customer_id || '|' || a.sku || '|' || $3, true, 'missing_invoice', false,
    coalesce(m.channel, 'direct'), coalesce(m.partner_account, a.customer_id), a.customer_id,
    coalesce(m.customer_name, a.customer_id), coalesce(a.contract_id, '-'), NULL, a.sku, NULL, NULL, NULL,
    coalesce(a.currency, 'USD'), coalesce(a.amount, 0), 0, e.refs
  FROM agg a JOIN evidence e USING (customer_id, sku)
  LEFT JOIN ${MARKETPLACE_CUSTOMERS} m ON m.customer_id = a.customer_id`,
};

export const USAGE_RULES: readonly RuleStatement[] = [meteringStatus, usageMismatch, missingInvoice];
