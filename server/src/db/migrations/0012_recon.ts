export const name = 'recon';

/**
 * Issue 13, part 2: the mapping tables (the cross-channel customer and SKU maps are always ours
 * to keep), one row per reconciliation run, and the deterministic key of every exception a run
 * opened, so a re-run updates or closes that exception instead of opening another.
 *
 * recon_round_minor is the SQL twin of shared/ingest/precision.ts roundToMinor (half_up = half
 * away from zero, half_even = banker's); test/server/recon-engine.test.ts holds the two equal.
 */
export const sql = `
CREATE TABLE recon_account_map (
  channel         text NOT NULL,
  partner_account text NOT NULL,
  customer_id     text NOT NULL,
  customer_name   text NOT NULL,
  updated_by      text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, partner_account)
);

-- partner_dimension '' = every dimension of the product (a row naming the dimension wins).
CREATE TABLE recon_sku_map (
  channel           text NOT NULL,
  partner_product   text NOT NULL,
  partner_dimension text NOT NULL DEFAULT '',
  sku               text NOT NULL,
  updated_by        text NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, partner_product, partner_dimension)
);

CREATE TABLE recon_runs (
  id          bigserial PRIMARY KEY,
  period      text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  run_by      text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  matched     integer NOT NULL DEFAULT 0,
  suggested   integer NOT NULL DEFAULT 0,
  opened      integer NOT NULL DEFAULT 0,
  updated     integer NOT NULL DEFAULT 0,
  closed      integer NOT NULL DEFAULT 0,
  unchanged   integer NOT NULL DEFAULT 0,
  skipped     integer NOT NULL DEFAULT 0,
  rules       jsonb NOT NULL
);

-- period NULL: the key came from rows that carry no date of their own (a monthly report's
-- lines), which every period's run sees.
CREATE TABLE recon_exceptions (
  recon_key    text PRIMARY KEY,
  exception_id text NOT NULL UNIQUE REFERENCES exceptions (id),
  period       text,
  fingerprint  text NOT NULL,
  first_run_id bigint NOT NULL REFERENCES recon_runs (id),
  last_run_id  bigint NOT NULL REFERENCES recon_runs (id)
);
CREATE INDEX recon_exceptions_period ON recon_exceptions (period);

-- An ambiguous match a person confirms in the app; re-runs replace the period's open ones.
CREATE TABLE recon_suggestions (
  id          bigserial PRIMARY KEY,
  period      text NOT NULL,
  recon_key   text NOT NULL,
  kind        text NOT NULL,
  details     jsonb NOT NULL,
  run_id      bigint NOT NULL REFERENCES recon_runs (id),
  UNIQUE (period, recon_key)
);

CREATE SEQUENCE recon_exception_seq;

-- What the matching statements look staged rows up by (contract rate cards, our invoice lines,
-- a month's usage).
CREATE INDEX ingest_rate_cards_customer_sku ON ingest_rate_cards (customer_ref, product);
CREATE INDEX ingest_billed_lines_customer_sku ON ingest_billed_lines (partner_account, product, period_start);
CREATE INDEX ingest_usage_lines_format_time ON ingest_usage_lines (format, event_start);

CREATE FUNCTION recon_round_minor(x numeric, places integer, mode text) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT round(CASE
    WHEN mode = 'half_even' AND abs(x * 10::numeric ^ places - trunc(x * 10::numeric ^ places)) = 0.5
      THEN (trunc(x * 10::numeric ^ places)
            + CASE WHEN mod(trunc(x * 10::numeric ^ places), 2) = 0 THEN 0 ELSE sign(x) END)
           / 10::numeric ^ places
    ELSE round(x, places)
  END, places)
$fn$;
`;
