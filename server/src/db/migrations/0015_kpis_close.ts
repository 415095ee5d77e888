export const name = 'kpis_close';

/**
 * Issue 16: teams (so throughput and filters can name one), the views the KPIs read where another
 * part of the product will supply the data later, month-end close (expected feeds, materiality,
 * periods, explanations, sign-offs) and the indexes the dashboard queries need.
 */
export const sql = `
-- Teams are users.team (migration 14, set by admins); the KPIs read them through this view.
CREATE VIEW team_members AS SELECT id AS user_id, team FROM users WHERE team IS NOT NULL;
CREATE INDEX users_team ON users (team) WHERE team IS NOT NULL;

-- An item is completed when its resolution takes effect: at once, or when a lead approves it.
-- Escalations and pending-partner parkings move an item on without completing it. Two branches
-- so a filter on completed_at reaches an index on each side.
CREATE VIEW kpi_completions AS
  SELECT r.id AS resolution_id, r.exception_id, r.user_id, r.action, r.occurred_at AS completed_at
  FROM exception_resolutions r
  WHERE NOT r.needs_approval AND r.action NOT IN ('escalate', 'pending_partner')
  UNION ALL
  SELECT r.id, r.exception_id, r.user_id, r.action, a.decided_at
  FROM approvals a JOIN exception_resolutions r ON r.id = a.resolution_id
  WHERE a.state = 'approved' AND r.action NOT IN ('escalate', 'pending_partner');

-- Automation rate counts lines. Until reconciliation runs record every line they match
-- (expected: a table of line results with source, channel, partner account, time, and whether
-- it cleared with no human touch or became an exception), each exception is the one line we
-- know of: automated when a later match cleared it (auto_cleared). The reconciliation migration
-- replaces this view with the same columns.
CREATE VIEW kpi_line_outcomes AS
  SELECT e.channel AS source, e.channel, e.partner_account_id, e.opened_at AS line_at,
         e.status = 'auto_cleared' AS automated, e.id AS exception_id
  FROM exceptions e;

-- Billing accuracy counts invoices: each partner or internal invoice id seen in the billed lines,
-- dated by its lines' period start (the query takes the distinct ids of the period). Channel from the import format's prefix.
CREATE VIEW kpi_invoice_lines AS
  SELECT CASE split_part(format, '-', 1) WHEN 'aws' THEN 'aws' WHEN 'azure' THEN 'azure'
           WHEN 'gcp' THEN 'gcp' ELSE 'direct' END AS channel,
         invoice_ref, partner_account, period_start AS invoice_date
  FROM ingest_billed_lines
  WHERE invoice_ref IS NOT NULL AND period_start IS NOT NULL;

-- QA outcomes per reviewed resolution, from the scored live reviews of migration 13 (calibration
-- and known-answer reviews never count against operators): passed = the review passed;
-- critical = a critical rubric item failed.
CREATE VIEW kpi_qa_outcomes AS
  SELECT resolution_id, exception_id, operator_id, submitted_at AS reviewed_at,
         outcome = 'pass' AS passed, coalesce(critical_failed, false) AS critical
  FROM qa_reviews
  WHERE kind = 'live' AND outcome IS NOT NULL;

CREATE INDEX exception_resolutions_occurred ON exception_resolutions (occurred_at);
CREATE INDEX exception_resolutions_user_occurred ON exception_resolutions (user_id, occurred_at);
CREATE INDEX approvals_approved ON approvals (decided_at) WHERE state = 'approved';
CREATE INDEX exceptions_partner_invoice ON exceptions (partner_invoice_id) WHERE partner_invoice_id IS NOT NULL;
CREATE INDEX exceptions_opened ON exceptions (opened_at);
-- Backlog, aging and amounts at risk read only unfinished items, from the index alone.
CREATE INDEX exceptions_unfinished ON exceptions (variance_currency, opened_at)
  INCLUDE (status, channel, partner_account_id, assignee_id, variance_amount)
  WHERE status NOT IN ('resolved', 'closed', 'auto_cleared');
CREATE INDEX ingest_billed_lines_invoice ON ingest_billed_lines (period_start) WHERE invoice_ref IS NOT NULL;

-- Month-end close. Feeds the close expects, as data: one import format each, from a month on.
CREATE TABLE close_expected_feeds (
  format      text PRIMARY KEY,
  label       text NOT NULL,
  active_from date NOT NULL DEFAULT DATE '1970-01-01',
  active_to   date
);

-- The business day of every staged row (its period, invoice, event, payout, effective or booking
-- date): which periods a batch brings data for, so a feed counts as received for a month and a
-- batch for a locked month is refused.
CREATE VIEW close_staged_days AS
  SELECT batch_id, row_number, format, period_start AS day FROM ingest_billed_lines
  UNION ALL SELECT batch_id, row_number, format, (invoice_date AT TIME ZONE 'UTC')::date FROM ingest_billing_events
  UNION ALL SELECT batch_id, row_number, format, (event_start AT TIME ZONE 'UTC')::date FROM ingest_usage_lines
  UNION ALL SELECT batch_id, row_number, format, payout_date FROM ingest_payouts
  UNION ALL SELECT batch_id, row_number, format, effective_from FROM ingest_rate_cards
  UNION ALL SELECT batch_id, row_number, format, booking_date FROM ingest_bank_lines;

-- Materiality per currency: an unfinished exception whose |variance| reaches it blocks the close
-- until resolved or explained. A currency with no row: every exception in it is material.
CREATE TABLE close_materiality (
  currency   text PRIMARY KEY,
  threshold  numeric(30,10) NOT NULL CHECK (threshold >= 0),
  updated_by text NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A period is a calendar month. state: open -> prepared (preparer signed) -> locked (reviewer
-- signed, another person); a reopen (with a reason) takes it back to open.
CREATE TABLE close_periods (
  period      text PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'prepared', 'locked')),
  preparer_id text REFERENCES users (id),
  prepared_at timestamptz,
  reviewer_id text REFERENCES users (id),
  reviewed_at timestamptz,
  CHECK (reviewer_id IS NULL OR reviewer_id <> preparer_id)
);

-- Why a material item stays unfinished at the close (a known timing difference, a dispute).
CREATE TABLE close_explanations (
  period       text NOT NULL,
  exception_id text NOT NULL REFERENCES exceptions (id),
  text         text NOT NULL,
  explained_by text NOT NULL REFERENCES users (id),
  explained_at timestamptz NOT NULL,
  PRIMARY KEY (period, exception_id)
);

-- Every sign-off and reopen, kept for ever (the audit trail holds them too).
CREATE TABLE close_signoffs (
  id      bigserial PRIMARY KEY,
  period  text NOT NULL,
  kind    text NOT NULL CHECK (kind IN ('prepare', 'review', 'reopen')),
  user_id text NOT NULL REFERENCES users (id),
  at      timestamptz NOT NULL,
  reason  text
);
CREATE INDEX close_signoffs_period ON close_signoffs (period, id);
CREATE TRIGGER close_signoffs_append_only BEFORE UPDATE OR DELETE ON close_signoffs
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
`;
