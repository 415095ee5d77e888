export const name = 'kpi_aggregates';

/**
 * The dashboard's daily pre-aggregates (issue 16). Statement triggers on the summarised tables
 * only APPEND signed delta rows in the writer's transaction (no shared total to wait or deadlock
 * on); readers sum; features/kpis/aggregates.ts folds deltas in the background. Durations are
 * histograms (kpi_bucket: < 0.2% wide, with min and max; features/kpis/percentiles.ts).
 */
export const sql = `
CREATE FUNCTION kpi_bucket(ms bigint) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  v bigint := greatest(ms, 0);
  e integer;
BEGIN
  IF v < 1024 THEN RETURN v::integer; END IF;
  -- 10 significant bits: bucket e * 1024 + m covers [m << e, (m + 1) << e), m in [512, 1024).
  e := floor(ln(v::float8) / ln(2::float8))::integer - 9;
  IF (v >> e) >= 1024 THEN e := e + 1; ELSIF (v >> e) < 512 THEN e := e - 1; END IF;
  RETURN e * 1024 + (v >> e)::integer;
END $fn$;

-- Completions (view kpi_completions) by UTC day of completion, the item's channel and partner,
-- the resolving operator and the cycle-time bucket; within = completions at or before the SLA.
CREATE TABLE kpi_completions_daily (
  day     date NOT NULL,
  channel text NOT NULL,
  partner text NOT NULL,
  user_id text NOT NULL,
  bucket  integer NOT NULL,
  n       integer NOT NULL,
  within  integer NOT NULL,
  min_ms  bigint,
  max_ms  bigint,
  merged  boolean NOT NULL DEFAULT false
);
CREATE INDEX kpi_completions_daily_day ON kpi_completions_daily (day);
CREATE INDEX kpi_completions_daily_partner ON kpi_completions_daily (partner, day);
CREATE INDEX kpi_completions_daily_user ON kpi_completions_daily (user_id, day);
CREATE INDEX kpi_completions_daily_deltas ON kpi_completions_daily (day) WHERE NOT merged;

-- Every resolution by UTC day recorded, channel, partner, operator, action and handle-time
-- bucket (-1: no handle time measured).
CREATE TABLE kpi_resolutions_daily (
  day     date NOT NULL,
  channel text NOT NULL,
  partner text NOT NULL,
  user_id text NOT NULL,
  action  text NOT NULL,
  bucket  integer NOT NULL,
  n       integer NOT NULL,
  min_ms  bigint,
  max_ms  bigint,
  merged  boolean NOT NULL DEFAULT false
);
CREATE INDEX kpi_resolutions_daily_day ON kpi_resolutions_daily (day);
CREATE INDEX kpi_resolutions_daily_partner ON kpi_resolutions_daily (partner, day);
CREATE INDEX kpi_resolutions_daily_user ON kpi_resolutions_daily (user_id, day);
CREATE INDEX kpi_resolutions_daily_deltas ON kpi_resolutions_daily (day) WHERE NOT merged;

-- Unfinished items now, by UTC day opened, channel, partner, holder ('' none), status and
-- variance currency; amount = sum of |variance|. kpi_stock_rollup drops partner and holder so the
-- unfiltered dashboard reads a few rows per day.
CREATE TABLE kpi_stock (
  day      date NOT NULL,
  channel  text NOT NULL,
  partner  text NOT NULL,
  assignee text NOT NULL,
  status   text NOT NULL,
  currency text NOT NULL,
  n        integer NOT NULL,
  amount   numeric NOT NULL,
  merged   boolean NOT NULL DEFAULT false
);
-- Aging reads the items of the days a bucket edge falls in from this index alone.
CREATE INDEX exceptions_unfinished_opened ON exceptions (opened_at)
  INCLUDE (status, channel, partner_account_id, assignee_id)
  WHERE status NOT IN ('resolved', 'closed', 'auto_cleared');
CREATE INDEX kpi_stock_partner ON kpi_stock (partner);
CREATE INDEX kpi_stock_assignee ON kpi_stock (assignee);
CREATE INDEX kpi_stock_deltas ON kpi_stock (day) WHERE NOT merged;
CREATE TABLE kpi_stock_rollup (
  day      date NOT NULL,
  channel  text NOT NULL,
  status   text NOT NULL,
  currency text NOT NULL,
  n        integer NOT NULL,
  amount   numeric NOT NULL,
  merged   boolean NOT NULL DEFAULT false
);
CREATE INDEX kpi_stock_rollup_day ON kpi_stock_rollup (day);
CREATE INDEX kpi_stock_rollup_deltas ON kpi_stock_rollup (day) WHERE NOT merged;

-- Lines for the automation rate (view kpi_line_outcomes) by UTC day, source, channel, partner.
CREATE TABLE kpi_lines_daily (
  day       date NOT NULL,
  source    text NOT NULL,
  channel   text NOT NULL,
  partner   text NOT NULL,
  lines     integer NOT NULL,
  automated integer NOT NULL,
  merged    boolean NOT NULL DEFAULT false
);
CREATE INDEX kpi_lines_daily_day ON kpi_lines_daily (day);
CREATE INDEX kpi_lines_daily_deltas ON kpi_lines_daily (day) WHERE NOT merged;

-- Automation counting reconciled lines: per reconciliation run, the staged lines its rules
-- compared, by the line's business day (view close_staged_days), source and channel; matched =
-- every comparison naming the line was within tolerance (no exception, no human touch). A
-- period's latest run supersedes its earlier ones (features/recon/run.ts writes these).
CREATE TABLE recon_line_outcomes (
  run_id  bigint NOT NULL REFERENCES recon_runs (id),
  period  text NOT NULL,
  day     date NOT NULL,
  source  text NOT NULL,
  channel text NOT NULL,
  lines   integer NOT NULL,
  matched integer NOT NULL,
  PRIMARY KEY (run_id, day, source, channel)
);
CREATE INDEX recon_line_outcomes_day ON recon_line_outcomes (day);

-- Billing accuracy: each invoice once per day and partner it has billed lines for (view
-- kpi_invoice_lines), with whether an exception names it and whether such an exception got a
-- credit memo or a rebill. Those only ever become true: exceptions keep their invoice and
-- channel, resolutions are kept. multi: the invoice has more than one such row, so a period's
-- distinct count subtracts its repeats (few invoices span days; those rows are read one by one).
CREATE TABLE kpi_invoice_days (
  channel     text NOT NULL,
  invoice_ref text NOT NULL,
  day         date NOT NULL,
  partner     text NOT NULL,
  wrong       boolean NOT NULL DEFAULT false,
  credit      boolean NOT NULL DEFAULT false,
  rebill      boolean NOT NULL DEFAULT false,
  multi       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (day, channel, invoice_ref, partner)
);
CREATE INDEX kpi_invoice_days_wrong ON kpi_invoice_days (day) WHERE wrong;
CREATE INDEX kpi_invoice_days_multi ON kpi_invoice_days (day) WHERE multi;
-- The rows of kpi_invoice_days counted per day, channel and partner (signed deltas, merged).
CREATE TABLE kpi_invoice_daily (
  day      date NOT NULL,
  channel  text NOT NULL,
  partner  text NOT NULL,
  invoices integer NOT NULL,
  wrong    integer NOT NULL,
  credit   integer NOT NULL,
  rebill   integer NOT NULL,
  merged   boolean NOT NULL DEFAULT false
);
CREATE INDEX kpi_invoice_daily_day ON kpi_invoice_daily (day);
CREATE INDEX kpi_invoice_daily_deltas ON kpi_invoice_daily (day) WHERE NOT merged;
CREATE INDEX kpi_invoice_days_invoice ON kpi_invoice_days (invoice_ref, channel);

-- Signed deltas for the given resolutions (or approvals) of the given items, with the items'
-- values passed in, so an item's old values can be taken out exactly after it changed.
CREATE FUNCTION kpi_add_resolutions(ids bigint[], items exceptions[], s integer) RETURNS void
LANGUAGE sql AS $fn$
  INSERT INTO kpi_resolutions_daily (day, channel, partner, user_id, action, bucket, n, min_ms, max_ms)
  SELECT (r.occurred_at AT TIME ZONE 'UTC')::date, e.channel, e.partner_account_id, r.user_id, r.action,
         CASE WHEN r.handle_ms IS NULL THEN -1 ELSE kpi_bucket(r.handle_ms) END, (s * count(*))::int,
         CASE WHEN s > 0 THEN min(r.handle_ms) END, CASE WHEN s > 0 THEN max(r.handle_ms) END
  FROM exception_resolutions r JOIN unnest(items) e ON e.id = r.exception_id
  WHERE r.id = ANY(ids)
  GROUP BY 1, 2, 3, 4, 5, 6
$fn$;

-- Completions: a resolution that took effect at once, or an approved one at its decision
-- (view kpi_completions). res_ids / approval_ids select which.
CREATE FUNCTION kpi_add_completions(res_ids bigint[], approval_ids bigint[], items exceptions[], s integer)
RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO kpi_completions_daily (day, channel, partner, user_id, bucket, n, within, min_ms, max_ms)
  SELECT (c.at AT TIME ZONE 'UTC')::date, e.channel, e.partner_account_id, c.user_id,
         kpi_bucket(x.ms), (s * count(*))::int, (s * count(*) FILTER (WHERE c.at <= e.sla_due_at))::int,
         CASE WHEN s > 0 THEN min(x.ms) END, CASE WHEN s > 0 THEN max(x.ms) END
  FROM (
    SELECT r.exception_id, r.user_id, r.occurred_at AS at
    FROM exception_resolutions r
    WHERE r.id = ANY(res_ids) AND NOT r.needs_approval AND r.action NOT IN ('escalate', 'pending_partner')
    UNION ALL
    SELECT r.exception_id, r.user_id, a.decided_at
    FROM approvals a JOIN exception_resolutions r ON r.id = a.resolution_id
    WHERE a.id = ANY(approval_ids) AND a.state = 'approved' AND a.decided_at IS NOT NULL
      AND r.action NOT IN ('escalate', 'pending_partner')
  ) c
  JOIN unnest(items) e ON e.id = c.exception_id
  CROSS JOIN LATERAL (SELECT round(extract(epoch FROM c.at - e.opened_at) * 1000)::bigint AS ms) x
  GROUP BY 1, 2, 3, 4, 5
$fn$;

-- Stock and lines of the given items, signed.
CREATE FUNCTION kpi_add_items(items exceptions[], s integer) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO kpi_stock (day, channel, partner, assignee, status, currency, n, amount)
  SELECT (e.opened_at AT TIME ZONE 'UTC')::date, e.channel, e.partner_account_id, coalesce(e.assignee_id, ''),
         e.status, e.variance_currency, (s * count(*))::int, s * sum(abs(e.variance_amount))
  FROM unnest(items) e WHERE e.status NOT IN ('resolved', 'closed', 'auto_cleared')
  GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO kpi_stock_rollup (day, channel, status, currency, n, amount)
  SELECT (e.opened_at AT TIME ZONE 'UTC')::date, e.channel, e.status, e.variance_currency, (s * count(*))::int,
         s * sum(abs(e.variance_amount))
  FROM unnest(items) e WHERE e.status NOT IN ('resolved', 'closed', 'auto_cleared')
  GROUP BY 1, 2, 3, 4;
  INSERT INTO kpi_lines_daily (day, source, channel, partner, lines, automated)
  SELECT (e.opened_at AT TIME ZONE 'UTC')::date, e.channel, e.channel, e.partner_account_id, (s * count(*))::int,
         (s * count(*) FILTER (WHERE e.status = 'auto_cleared'))::int
  FROM unnest(items) e
  GROUP BY 1, 2, 3, 4;
$fn$;

-- Flags of the invoices the given items name (they only ever turn on), and the daily counts of
-- the rows that turned. Rows are locked first, so two writers flagging one invoice count it once.
CREATE FUNCTION kpi_flag_invoices(items exceptions[]) RETURNS void LANGUAGE sql AS $fn$
  WITH f AS (
    SELECT e.channel, e.partner_invoice_id AS invoice_ref,
           bool_or(EXISTS (SELECT 1 FROM exception_resolutions r
                           WHERE r.exception_id = e.id AND r.action = 'credit_memo_request')) AS credit,
           bool_or(EXISTS (SELECT 1 FROM exception_resolutions r
                           WHERE r.exception_id = e.id AND r.action = 'rebill')) AS rebill
    FROM unnest(items) e WHERE e.partner_invoice_id IS NOT NULL
    GROUP BY 1, 2),
  old AS (
    SELECT d.day, d.channel, d.invoice_ref, d.partner, d.wrong, d.credit, d.rebill,
           f.credit AS to_credit, f.rebill AS to_rebill
    FROM kpi_invoice_days d JOIN f ON d.invoice_ref = f.invoice_ref AND d.channel = f.channel
    WHERE NOT d.wrong OR (f.credit AND NOT d.credit) OR (f.rebill AND NOT d.rebill)
    FOR UPDATE OF d),
  upd AS (
    UPDATE kpi_invoice_days d SET wrong = true, credit = d.credit OR o.to_credit, rebill = d.rebill OR o.to_rebill
    FROM old o
    WHERE d.day = o.day AND d.channel = o.channel AND d.invoice_ref = o.invoice_ref AND d.partner = o.partner)
  INSERT INTO kpi_invoice_daily (day, channel, partner, invoices, wrong, credit, rebill)
  SELECT day, channel, partner, 0, count(*) FILTER (WHERE NOT wrong),
         count(*) FILTER (WHERE to_credit AND NOT credit), count(*) FILTER (WHERE to_rebill AND NOT rebill)
  FROM old GROUP BY 1, 2, 3
$fn$;

-- New rows of kpi_invoice_days (from billed lines), flagged from the items naming them; counted
-- per day, and an invoice that now has more than one row is marked multi.
CREATE FUNCTION kpi_add_invoice_days(lines jsonb) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  WITH ins AS (
    INSERT INTO kpi_invoice_days (channel, invoice_ref, day, partner, wrong, credit, rebill)
    SELECT i.channel, i.invoice_ref, i.day, i.partner,
           EXISTS (SELECT 1 FROM exceptions e WHERE e.partner_invoice_id = i.invoice_ref AND e.channel = i.channel),
           EXISTS (SELECT 1 FROM exceptions e JOIN exception_resolutions r ON r.exception_id = e.id
                   WHERE e.partner_invoice_id = i.invoice_ref AND e.channel = i.channel AND r.action = 'credit_memo_request'),
           EXISTS (SELECT 1 FROM exceptions e JOIN exception_resolutions r ON r.exception_id = e.id
                   WHERE e.partner_invoice_id = i.invoice_ref AND e.channel = i.channel AND r.action = 'rebill')
    FROM jsonb_to_recordset(lines) AS i(channel text, invoice_ref text, day date, partner text)
    ON CONFLICT DO NOTHING
    RETURNING day, channel, partner, wrong, credit, rebill)
  INSERT INTO kpi_invoice_daily (day, channel, partner, invoices, wrong, credit, rebill)
  SELECT day, channel, partner, count(*), count(*) FILTER (WHERE wrong), count(*) FILTER (WHERE credit),
         count(*) FILTER (WHERE rebill)
  FROM ins GROUP BY 1, 2, 3;
  UPDATE kpi_invoice_days d SET multi = true
  FROM (SELECT x.channel, x.invoice_ref FROM kpi_invoice_days x
        WHERE (x.channel, x.invoice_ref) IN (SELECT i.channel, i.invoice_ref
          FROM jsonb_to_recordset(lines) AS i(channel text, invoice_ref text))
        GROUP BY 1, 2 HAVING count(*) > 1) m
  WHERE d.channel = m.channel AND d.invoice_ref = m.invoice_ref AND NOT d.multi;
END $fn$;

CREATE FUNCTION kpi_on_resolutions_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  ids bigint[] := ARRAY(SELECT id FROM kpi_new);
  items exceptions[] := ARRAY(SELECT e FROM exceptions e WHERE e.id IN (SELECT exception_id FROM kpi_new));
BEGIN
  PERFORM kpi_add_resolutions(ids, items, 1);
  PERFORM kpi_add_completions(ids, '{}', items, 1);
  PERFORM kpi_flag_invoices(ARRAY(SELECT e FROM unnest(items) e WHERE e.id IN (
    SELECT exception_id FROM kpi_new WHERE action IN ('credit_memo_request', 'rebill'))));
  RETURN NULL;
END $fn$;
CREATE TRIGGER kpi_resolutions_insert AFTER INSERT ON exception_resolutions
  REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_resolutions_insert();

-- An approval inserted or decided: take out what the old row counted (rebuilt from its old
-- decision), add what the new one counts.
CREATE FUNCTION kpi_on_approvals_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed bigint[];
  items exceptions[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    changed := ARRAY(SELECT id FROM kpi_new WHERE state = 'approved');
  ELSE
    changed := ARRAY(SELECT n.id FROM kpi_new n JOIN kpi_old o ON o.id = n.id
                     WHERE (n.state, n.decided_at, n.resolution_id) IS DISTINCT FROM (o.state, o.decided_at, o.resolution_id)
                       AND 'approved' IN (n.state, o.state));
  END IF;
  IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
  items := ARRAY(SELECT e FROM exceptions e WHERE e.id IN (SELECT exception_id FROM kpi_new WHERE id = ANY(changed)));
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO kpi_completions_daily (day, channel, partner, user_id, bucket, n, within)
    SELECT (o.decided_at AT TIME ZONE 'UTC')::date, e.channel, e.partner_account_id, r.user_id,
           kpi_bucket(round(extract(epoch FROM o.decided_at - e.opened_at) * 1000)::bigint),
           -count(*)::int, -(count(*) FILTER (WHERE o.decided_at <= e.sla_due_at))::int
    FROM kpi_old o JOIN exception_resolutions r ON r.id = o.resolution_id JOIN unnest(items) e ON e.id = r.exception_id
    WHERE o.id = ANY(changed) AND o.state = 'approved' AND o.decided_at IS NOT NULL
      AND r.action NOT IN ('escalate', 'pending_partner')
    GROUP BY 1, 2, 3, 4, 5;
  END IF;
  PERFORM kpi_add_completions('{}', changed, items, 1);
  RETURN NULL;
END $fn$;
CREATE TRIGGER kpi_approvals_insert AFTER INSERT ON approvals
  REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_approvals_change();
CREATE TRIGGER kpi_approvals_update AFTER UPDATE ON approvals
  REFERENCING OLD TABLE AS kpi_old NEW TABLE AS kpi_new FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_on_approvals_change();

-- Items: stock and lines follow every change of what they count. Channel, partner, opening and
-- SLA never change once an item is opened today; if one does, its resolutions and completions
-- are taken out with the old values and counted again with the new.
CREATE FUNCTION kpi_on_exceptions_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  old_items exceptions[];
  new_items exceptions[];
  moved text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    new_items := ARRAY(SELECT n::exceptions FROM kpi_new n);
    PERFORM kpi_add_items(new_items, 1);
    PERFORM kpi_flag_invoices(new_items);
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM kpi_add_items(ARRAY(SELECT o::exceptions FROM kpi_old o), -1);
    RETURN NULL;
  END IF;
  old_items := ARRAY(SELECT o::exceptions FROM kpi_old o JOIN kpi_new n ON n.id = o.id
    WHERE (o.status, o.channel, o.partner_account_id, o.assignee_id, o.variance_currency, o.variance_amount, o.opened_at)
      IS DISTINCT FROM (n.status, n.channel, n.partner_account_id, n.assignee_id, n.variance_currency, n.variance_amount, n.opened_at));
  IF cardinality(old_items) = 0 THEN RETURN NULL; END IF;
  new_items := ARRAY(SELECT n::exceptions FROM kpi_new n WHERE n.id IN (SELECT (unnest(old_items)).id));
  PERFORM kpi_add_items(old_items, -1);
  PERFORM kpi_add_items(new_items, 1);
  moved := ARRAY(SELECT o.id FROM kpi_old o JOIN kpi_new n ON n.id = o.id
    WHERE (o.channel, o.partner_account_id, o.opened_at, o.sla_due_at)
      IS DISTINCT FROM (n.channel, n.partner_account_id, n.opened_at, n.sla_due_at));
  IF cardinality(moved) > 0 THEN
    old_items := ARRAY(SELECT o::exceptions FROM kpi_old o WHERE o.id = ANY(moved));
    new_items := ARRAY(SELECT n::exceptions FROM kpi_new n WHERE n.id = ANY(moved));
    PERFORM kpi_add_resolutions(ARRAY(SELECT id FROM exception_resolutions WHERE exception_id = ANY(moved)), old_items, -1);
    PERFORM kpi_add_resolutions(ARRAY(SELECT id FROM exception_resolutions WHERE exception_id = ANY(moved)), new_items, 1);
    PERFORM kpi_add_completions(ARRAY(SELECT id FROM exception_resolutions WHERE exception_id = ANY(moved)),
      ARRAY(SELECT id FROM approvals WHERE exception_id = ANY(moved)), old_items, -1);
    PERFORM kpi_add_completions(ARRAY(SELECT id FROM exception_resolutions WHERE exception_id = ANY(moved)),
      ARRAY(SELECT id FROM approvals WHERE exception_id = ANY(moved)), new_items, 1);
  END IF;
  RETURN NULL;
END $fn$;
CREATE TRIGGER kpi_exceptions_insert AFTER INSERT ON exceptions
  REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_exceptions_change();
CREATE TRIGGER kpi_exceptions_update AFTER UPDATE ON exceptions
  REFERENCING OLD TABLE AS kpi_old NEW TABLE AS kpi_new FOR EACH STATEMENT
  EXECUTE FUNCTION kpi_on_exceptions_change();
CREATE TRIGGER kpi_exceptions_delete AFTER DELETE ON exceptions
  REFERENCING OLD TABLE AS kpi_old FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_exceptions_change();

-- Billed lines: each (day, channel, invoice, partner) once. Two imports committing lines of one
-- invoice on different days at the same moment could each miss the other's row and leave it
-- unmarked multi (counted twice); kpi_rebuild() repairs that.
CREATE FUNCTION kpi_on_billed_lines_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM kpi_add_invoice_days((SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object(
      'channel', CASE split_part(format, '-', 1) WHEN 'aws' THEN 'aws' WHEN 'azure' THEN 'azure'
                   WHEN 'gcp' THEN 'gcp' ELSE 'direct' END,
      'invoice_ref', invoice_ref, 'day', period_start, 'partner', coalesce(partner_account, ''))), '[]')
    FROM kpi_new WHERE invoice_ref IS NOT NULL AND period_start IS NOT NULL));
  RETURN NULL;
END $fn$;
CREATE TRIGGER kpi_billed_lines_insert AFTER INSERT ON ingest_billed_lines
  REFERENCING NEW TABLE AS kpi_new FOR EACH STATEMENT EXECUTE FUNCTION kpi_on_billed_lines_insert();

-- Every aggregate computed afresh from the tables it summarises, with writers held off: what
-- is already there when this migration runs, and a check (test/server/kpi-aggregates.test.ts)
-- that the triggers' deltas add up to the same figures.
CREATE FUNCTION kpi_rebuild() RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  items exceptions[];
BEGIN
  LOCK TABLE exceptions, exception_resolutions, approvals, ingest_billed_lines IN SHARE MODE;
  TRUNCATE kpi_completions_daily, kpi_resolutions_daily, kpi_stock, kpi_stock_rollup, kpi_lines_daily,
    kpi_invoice_days, kpi_invoice_daily;
  items := ARRAY(SELECT e FROM exceptions e);
  PERFORM kpi_add_items(items, 1);
  PERFORM kpi_add_resolutions(ARRAY(SELECT id FROM exception_resolutions), items, 1);
  PERFORM kpi_add_completions(ARRAY(SELECT id FROM exception_resolutions), ARRAY(SELECT id FROM approvals), items, 1);
  PERFORM kpi_add_invoice_days((SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_object('channel', channel,
    'invoice_ref', invoice_ref, 'day', invoice_date, 'partner', coalesce(partner_account, ''))), '[]')
    FROM kpi_invoice_lines));
  PERFORM kpi_flag_invoices(ARRAY(SELECT e FROM unnest(items) e WHERE e.partner_invoice_id IS NOT NULL));
END $fn$;
SELECT kpi_rebuild();
`;
