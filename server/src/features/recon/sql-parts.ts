/**
 * SQL fragments the matching statements share. Every fragment reads only staging tables, the
 * mapping tables and the rule tables of rule-params.ts.
 */

/** A staging row's reference, the evidence builder's key: kind letter, batch, row number. */
export const ref = (letter: string, alias: string): string =>
  `'${letter}:' || ${alias}.batch_id || ':' || ${alias}.row_number`;

/** The key of a check made once per staged billed line `b` (any period): type, channel, line. */
export const billedLineKey = (type: string, channel: string): string =>
  `'${type}|' || ${channel} || '|' || coalesce(b.source_ref, b.batch_id || ':' || b.row_number)`;

/** The first instant of the period (param $1, 'YYYY-MM-DD') and of the next one ($2), in UTC. */
export const PERIOD_START_TS = `($1::date::timestamp AT TIME ZONE 'UTC')`;
export const PERIOD_END_TS = `($2::date::timestamp AT TIME ZONE 'UTC')`;

export const inPeriodTs = (column: string): string =>
  `${column} >= ${PERIOD_START_TS} AND ${column} < ${PERIOD_END_TS}`;
export const inPeriodDate = (column: string): string => `${column} >= $1::date AND ${column} < $2::date`;

/**
 * Within tolerance: the variance rounds to zero in the currency's minor unit (a rounding
 * difference is never a discrepancy), or it is within the currency's absolute or relative
 * tolerance. A currency without a tolerance is never within. `mode` is the rounding param.
 */
export function withinSql(expected: string, actual: string, currency: string, mode: string): string {
  return `EXISTS (SELECT 1 FROM recon_tolerance t JOIN recon_minor mi ON mi.currency = t.currency
    WHERE t.currency = ${currency}
      AND (recon_round_minor(${actual} - ${expected}, mi.places, ${mode}) = 0
           OR abs(${actual} - ${expected}) <= t.absolute
           OR abs(${actual} - ${expected}) <= t.relative * abs(${expected})))`;
}

/**
 * The contract rate card for a customer, SKU and (optional) dimension on a day: a card naming
 * the dimension wins, then the latest effective, then the latest import.
 */
export function rateCardLateral(customer: string, sku: string, dimension: string, day: string): string {
  return `LEFT JOIN LATERAL (
    SELECT rc.contract_id, rc.unit_price, rc.currency, rc.batch_id, rc.row_number
    FROM ingest_rate_cards rc
    WHERE rc.customer_ref = ${customer} AND rc.product = ${sku}
      AND (rc.dimension IS NULL OR rc.dimension = ${dimension})
      AND rc.effective_from <= ${day} AND (rc.effective_to IS NULL OR rc.effective_to >= ${day})
    ORDER BY rc.dimension NULLS LAST, rc.effective_from DESC, rc.batch_id DESC, rc.row_number DESC
    LIMIT 1) card ON true`;
}

/** The SKU a partner product (and dimension) maps to: a mapping naming the dimension wins. */
export function skuLateral(channel: string, product: string, dimension: string): string {
  return `LEFT JOIN LATERAL (
    SELECT s.sku FROM recon_sku_map s
    WHERE s.channel = ${channel} AND s.partner_product = ${product} AND s.partner_dimension IN (${dimension}, '')
    ORDER BY s.partner_dimension DESC LIMIT 1) sm ON true`;
}

/** Customers we sell through a marketplace (they have a partner account mapping). */
export const MARKETPLACE_CUSTOMERS = `(SELECT customer_id, min(channel) AS channel,
    min(partner_account) AS partner_account, min(customer_name) AS customer_name
  FROM recon_account_map GROUP BY customer_id)`;

/**
 * Every partner row (usage and billed, any period): channel, account, product, dimension ('' for
 * billed lines), the billed amount and currency (NULL for usage), and its reference.
 */
export const PARTNER_ROWS = `(
  SELECT f.channel, u.partner_account, coalesce(u.product, '') AS product, u.dimension,
    NULL::text AS currency, NULL::numeric AS amount, ${ref('u', 'u')} AS ref
  FROM ingest_usage_lines u JOIN recon_formats f ON f.format = u.format
  WHERE f.channel IN ('aws', 'azure', 'gcp')
  UNION ALL
  SELECT f.channel, b.partner_account, coalesce(b.product, ''), '', b.currency, b.gross, ${ref('b', 'b')}
  FROM ingest_billed_lines b JOIN recon_formats f ON f.format = b.format
  WHERE f.channel IN ('aws', 'azure', 'gcp') AND b.partner_account IS NOT NULL)`;
