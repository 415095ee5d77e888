import { CANDIDATE_COLUMNS, type RuleStatement } from './rule-statement';
import { PARTNER_ROWS, skuLateral } from './sql-parts';

/**
 * Partner ids with no mapping. These look at every staged partner row, whatever its period: a
 * mapping is not a property of a month, so the exception stays one per id until the mapping is
 * added, and the next run (of any period) closes it. The amount is what the partner billed
 * under the id (in the currency with the most), so priority follows the money at stake.
 */
function unmapped(type: 'unmapped_account' | 'unmapped_sku', keyColumns: string[], where: string): string {
  const keys = keyColumns.join(', ');
  const keyText = keyColumns.map((c) => `coalesce(g.${c}, '')`).join(` || '|' || `);
  return `
  WITH pr AS (SELECT p.* FROM ${PARTNER_ROWS} p WHERE ${where}),
  money AS (
    SELECT DISTINCT ON (${keys}) ${keys}, currency, sum(amount) AS billed
    FROM pr WHERE currency IS NOT NULL
    GROUP BY ${keys}, currency
    ORDER BY ${keys}, sum(abs(amount)) DESC, currency),
  g AS (
    SELECT ${keys}, min(partner_account) AS any_account, (array_agg(ref ORDER BY ref))[1:200] AS refs
    FROM pr GROUP BY ${keys})
  INSERT INTO recon_candidates (${CANDIDATE_COLUMNS})
  SELECT '${type}|' || ${keyText}, false, '${type}', false, g.channel, g.any_account,
    coalesce(am.customer_id, g.any_account), coalesce(am.customer_name, '(unmapped account)'), '-', NULL,
    coalesce(nullif(${keyColumns.includes('product') ? 'g.product' : "''"}, ''), '-'),
    ${keyColumns.includes('dimension') ? "nullif(g.dimension, '')" : 'NULL'}, NULL, NULL,
    coalesce(m.currency, 'USD'), 0, coalesce(m.billed, 0), g.refs
  FROM g LEFT JOIN money m USING (${keys})
  LEFT JOIN recon_account_map am ON am.channel = g.channel AND am.partner_account = g.any_account`;
}

export const MAPPING_RULES: readonly RuleStatement[] = [
  {
    name: 'unmapped_account',
    params: 'mode',
    // $1 (the rounding mode) is unused here but keeps every period-less statement's params alike.
    sql: unmapped(
      'unmapped_account',
      ['channel', 'partner_account'],
      `$1::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM recon_account_map am
         WHERE am.channel = p.channel AND am.partner_account = p.partner_account)`,
    ),
  },
  {
    name: 'unmapped_sku',
    params: 'mode',
    sql: unmapped(
      'unmapped_sku',
      ['channel', 'product', 'dimension'],
      `$1::text IS NOT NULL AND NOT EXISTS (SELECT 1 FROM recon_sku_map s
         WHERE s.channel = p.channel AND s.partner_product = p.product AND s.partner_dimension IN (p.dimension, ''))`,
    ),
  },
];

/** Rows whose SKU cannot be known yet: usage matching leaves their customer and dimension alone. */
export const UNMAPPED_SKU_USAGE = `(
  SELECT DISTINCT am.customer_id, u.dimension
  FROM ingest_usage_lines u JOIN recon_formats f ON f.format = u.format
  JOIN recon_account_map am ON am.channel = f.channel AND am.partner_account = u.partner_account
  ${skuLateral('f.channel', "coalesce(u.product, '')", 'u.dimension')}
  WHERE f.channel IN ('aws', 'azure', 'gcp') AND sm.sku IS NULL)`;
