export const name = 'ingest_batches_staging';

/**
 * Issue 13: every imported file is one batch (its SHA-256 unique, so the same bytes never come
 * in twice), and its rows land in the staging table of their record kind with the batch, in
 * one transaction. Amounts are NUMERIC (exact), never float; `raw` keeps the row as read
 * (canonical text per header). Staging rows are never updated: a restated row arrives in a
 * later batch (AWS billing events: the view below keeps the latest version per event).
 */
export const sql = `
CREATE TABLE ingest_batches (
  id          bigserial PRIMARY KEY,
  file_name   text NOT NULL,
  sha256      text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  format      text NOT NULL,
  record_kind text NOT NULL,
  row_count   integer NOT NULL CHECK (row_count >= 0),
  imported_by text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ingest_billed_lines (
  batch_id        bigint NOT NULL REFERENCES ingest_batches (id),
  row_number      integer NOT NULL,
  format          text NOT NULL,
  source_ref      text,
  partner_account text,
  customer_ref    text,
  product         text,
  offer_id        text,
  invoice_ref     text,
  period_start    date,
  quantity        numeric,
  unit_price      numeric,
  currency        text NOT NULL,
  gross           numeric,
  fee             numeric,
  tax             numeric,
  refund          numeric,
  net             numeric,
  stated_total    numeric,
  raw             jsonb NOT NULL,
  PRIMARY KEY (batch_id, row_number)
);

CREATE TABLE ingest_billing_events (
  batch_id                      bigint NOT NULL REFERENCES ingest_batches (id),
  row_number                    integer NOT NULL,
  format                        text NOT NULL,
  billing_event_id              text NOT NULL,
  update_date                   timestamptz NOT NULL,
  action                        text NOT NULL,
  transaction_type              text NOT NULL,
  parent_billing_event_id       text,
  disbursement_billing_event_id text,
  partner_account               text,
  product                       text,
  amount                        numeric NOT NULL,
  currency                      text NOT NULL,
  invoice_id                    text,
  invoice_date                  timestamptz,
  transaction_reference_id      text,
  bank_trace_id                 text,
  raw                           jsonb NOT NULL,
  PRIMARY KEY (batch_id, row_number)
);
CREATE INDEX ingest_billing_events_latest ON ingest_billing_events (billing_event_id, update_date DESC);

-- Bi-temporal feed: the version of each billing event with the latest update_date (ties: the
-- later batch, then the later row).
CREATE VIEW ingest_billing_events_current AS
  SELECT DISTINCT ON (billing_event_id) *
  FROM ingest_billing_events
  ORDER BY billing_event_id, update_date DESC, batch_id DESC, row_number DESC;

CREATE TABLE ingest_usage_lines (
  batch_id        bigint NOT NULL REFERENCES ingest_batches (id),
  row_number      integer NOT NULL,
  format          text NOT NULL,
  source_ref      text,
  partner_account text NOT NULL,
  product         text,
  dimension       text NOT NULL,
  event_start     timestamptz NOT NULL,
  event_end       timestamptz,
  quantity        numeric NOT NULL,
  status          text,
  raw             jsonb NOT NULL,
  PRIMARY KEY (batch_id, row_number)
);

CREATE TABLE ingest_payouts (
  batch_id    bigint NOT NULL REFERENCES ingest_batches (id),
  row_number  integer NOT NULL,
  format      text NOT NULL,
  payout_ref  text,
  source_ref  text,
  payout_date date,
  currency    text NOT NULL,
  gross       numeric,
  fee         numeric,
  net         numeric,
  disbursed   numeric,
  status      text,
  raw         jsonb NOT NULL,
  PRIMARY KEY (batch_id, row_number)
);

CREATE TABLE ingest_rate_cards (
  batch_id       bigint NOT NULL REFERENCES ingest_batches (id),
  row_number     integer NOT NULL,
  format         text NOT NULL,
  contract_id    text NOT NULL,
  customer_ref   text NOT NULL,
  product        text NOT NULL,
  dimension      text,
  unit_price     numeric NOT NULL,
  currency       text NOT NULL,
  effective_from date NOT NULL,
  effective_to   date,
  rounding_mode  text NOT NULL CHECK (rounding_mode IN ('half_up', 'half_even')),
  total_rule     text NOT NULL CHECK (total_rule IN ('round_sum', 'sum_rounded')),
  raw            jsonb NOT NULL,
  PRIMARY KEY (batch_id, row_number)
);

CREATE TABLE ingest_bank_lines (
  batch_id     bigint NOT NULL REFERENCES ingest_batches (id),
  row_number   integer NOT NULL,
  format       text NOT NULL,
  account      text NOT NULL,
  booking_date date NOT NULL,
  value_date   date NOT NULL,
  reference    text,
  counterparty text,
  description  text,
  currency     text NOT NULL,
  amount       numeric NOT NULL,
  raw          jsonb NOT NULL,
  PRIMARY KEY (batch_id, row_number)
);
`;
