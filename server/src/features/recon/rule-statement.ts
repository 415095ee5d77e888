/**
 * One matching rule as one set-based statement. Period rules read $1 (first day), $2 (first day
 * of the next month), $3 (the period, 'YYYY-MM') and, with 'period+mode', $4 (rounding mode);
 * rules that look at every staged row whatever its date read only $1 (rounding mode).
 */
export interface RuleStatement {
  name: string;
  params: 'period' | 'period+mode' | 'mode';
  sql: string;
}

export const CANDIDATE_COLUMNS = `recon_key, period_bound, type, within, channel, partner_account, customer_id,
  customer_name, agreement_id, offer_id, product_code, dimension, partner_invoice_id, payout_id, currency,
  expected, actual, refs`;
