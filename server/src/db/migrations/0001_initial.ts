export const name = 'initial';

/**
 * Money is NUMERIC(30,10) next to a currency column: 20 integer and 10 fraction digits, the
 * exact range of `decimalStringSchema`. Enum-like columns stay TEXT without CHECK lists so a new
 * status or type needs no table rewrite; the zod schemas guard them at the boundary.
 */
export const sql = `
CREATE TABLE server_settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  roles         text[] NOT NULL CHECK (cardinality(roles) > 0),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- A refresh token is stored only as its SHA-256. family_id ties a chain of rotations together,
-- so replaying a rotated token can revoke the whole chain (token theft detection).
CREATE TABLE refresh_tokens (
  id           bigserial PRIMARY KEY,
  token_hash   text NOT NULL UNIQUE,
  user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id    text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE exceptions (
  id                 text PRIMARY KEY,
  type               text NOT NULL,
  status             text NOT NULL,
  channel            text NOT NULL,
  partner_account_id text NOT NULL,
  customer_id        text NOT NULL,
  customer_name      text NOT NULL,
  agreement_id       text NOT NULL,
  offer_id           text,
  product_code       text NOT NULL,
  dimension          text,
  period_start       date NOT NULL,
  period_end         date NOT NULL,
  partner_invoice_id text,
  payout_id          text,
  expected_amount    numeric(30,10) NOT NULL,
  expected_currency  text NOT NULL,
  actual_amount      numeric(30,10) NOT NULL,
  actual_currency    text NOT NULL,
  variance_amount    numeric(30,10) NOT NULL,
  variance_currency  text NOT NULL,
  -- json, not jsonb: evidence keeps the partner report's column order for display.
  evidence           json NOT NULL DEFAULT '[]'::json,
  priority           smallint NOT NULL CHECK (priority BETWEEN 1 AND 5),
  sla_due_at         timestamptz NOT NULL,
  opened_at          timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  assignee_id        text,
  version            integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);
-- get-next scans open work by priority, then SLA.
CREATE INDEX exceptions_queue ON exceptions (status, priority, sla_due_at);
CREATE INDEX exceptions_assignee ON exceptions (assignee_id) WHERE assignee_id IS NOT NULL;

-- The sync feed. Rows are appended under LOCK_CHANGE_FEED so seq order is commit order and a
-- puller reading "seq > cursor" can never skip a row that commits late. For entities with their
-- own table (exceptions) data stays null and a pull joins the current row: a feed row says
-- "this changed", the table holds what it is now (no second copy of every evidence blob).
-- data carries a payload only for entities without a table of their own.
CREATE TABLE change_feed (
  seq        bigserial PRIMARY KEY,
  entity     text NOT NULL,
  entity_id  text NOT NULL,
  op         text NOT NULL CHECK (op IN ('upsert', 'delete')),
  data       jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_feed_entity ON change_feed (entity, entity_id, seq);
`;
