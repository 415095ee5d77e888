export const name = 'recon_run_matches';

/**
 * Issue 13: what a reconciliation run matched, so a lead can drill into it from the app. The
 * count on recon_runs is exact; this keeps a sample (up to 1,000 keys a run, taken without
 * sorting so a month of millions of lines pays nothing for it) with the amounts compared and
 * the source rows cited.
 */
export const sql = `
CREATE TABLE recon_run_matches (
  run_id        bigint NOT NULL REFERENCES recon_runs (id),
  recon_key     text NOT NULL,
  type          text NOT NULL,
  channel       text NOT NULL,
  customer_name text NOT NULL,
  currency      text NOT NULL,
  expected      numeric NOT NULL,
  actual        numeric NOT NULL,
  refs          text[] NOT NULL,
  PRIMARY KEY (run_id, recon_key)
);
`;
