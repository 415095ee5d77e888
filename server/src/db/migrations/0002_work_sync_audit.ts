export const name = 'work_sync_audit';

/**
 * Allocation (certified types, leases), the push protocol's idempotency record, superseded
 * submissions, resolutions and notes, feed audiences, and the hash-chained audit log.
 */
export const sql = `
-- Which exception types a user may be allocated. Today it is granted by hand (or the demo seed);
-- SOP certification will write it later, so routing is gated by one table either way.
CREATE TABLE user_work_types (
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type       text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, type)
);

-- The current lease lives on the exception row, so get-next locks and updates one row per item
-- (FOR UPDATE SKIP LOCKED) and "who holds it" can never disagree between two tables.
ALTER TABLE exceptions ADD COLUMN lease_id text, ADD COLUMN lease_expires_at timestamptz;
CREATE UNIQUE INDEX exceptions_lease ON exceptions (lease_id) WHERE lease_id IS NOT NULL;
-- get-next reads open work one (priority, SLA band) range at a time: see features/work/urgency.ts.
CREATE INDEX exceptions_open_queue ON exceptions (priority, sla_due_at) WHERE status = 'open';
-- Expired leases are allocatable again; this finds them without scanning held work.
CREATE INDEX exceptions_lease_expiry ON exceptions (lease_expires_at) WHERE lease_id IS NOT NULL;

-- Every lease ever granted: lets a push tell "your lease was lost" (superseded, kept) from
-- "that lease was never yours" (rejected), and renew say why a lease is gone.
CREATE TABLE leases (
  lease_id     text PRIMARY KEY,
  exception_id text NOT NULL REFERENCES exceptions(id),
  user_id      text NOT NULL REFERENCES users(id),
  granted_by   text NOT NULL,
  granted_at   timestamptz NOT NULL DEFAULT now(),
  ended_at     timestamptz,
  end_reason   text
);
CREATE INDEX leases_exception ON leases (exception_id);

-- audience: the operator a feed row is for (the holder after the change, or the holder who lost
-- the item, on op='delete'); NULL = only readers who see every exception. See exceptions/scope.ts.
-- pos: the row's place in the feed, the pull cursor (sent as "seq"). Writers insert rows with
-- pos NULL and no lock; the sequencer (db/sequencer.ts) numbers committed rows under one advisory
-- lock, so pos order is the order rows became visible and a puller never skips a late commit.
ALTER TABLE change_feed ADD COLUMN audience text, ADD COLUMN pos bigint;
UPDATE change_feed SET pos = seq;
CREATE UNIQUE INDEX change_feed_pos ON change_feed (pos) WHERE pos IS NOT NULL;
CREATE INDEX change_feed_unpositioned ON change_feed (seq) WHERE pos IS NULL;
CREATE INDEX change_feed_audience ON change_feed (audience, pos) WHERE audience IS NOT NULL AND pos IS NOT NULL;

-- Every pushed mutation's first outcome, keyed by the client's idempotency key. Written in the
-- same transaction as the mutation's effects, so after a crash either both exist or neither.
CREATE TABLE sync_mutations (
  client_id    text NOT NULL,
  mutation_id  text NOT NULL,
  user_id      text NOT NULL REFERENCES users(id),
  client_seq   bigint NOT NULL,
  kind         text NOT NULL,
  exception_id text,
  body         jsonb NOT NULL,
  occurred_at  timestamptz NOT NULL,
  outcome      text NOT NULL CHECK (outcome IN ('applied', 'superseded', 'rejected')),
  reason       text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, mutation_id)
);
CREATE INDEX sync_mutations_exception ON sync_mutations (exception_id);

CREATE TABLE superseded_submissions (
  id           bigserial PRIMARY KEY,
  client_id    text NOT NULL,
  mutation_id  text NOT NULL,
  user_id      text NOT NULL REFERENCES users(id),
  exception_id text NOT NULL REFERENCES exceptions(id),
  lease_id     text NOT NULL,
  kind         text NOT NULL,
  body         jsonb NOT NULL,
  reason       text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_id, mutation_id),
  FOREIGN KEY (client_id, mutation_id) REFERENCES sync_mutations (client_id, mutation_id)
);
CREATE INDEX superseded_exception ON superseded_submissions (exception_id);

CREATE TABLE exception_resolutions (
  id              bigserial PRIMARY KEY,
  exception_id    text NOT NULL REFERENCES exceptions(id),
  user_id         text NOT NULL REFERENCES users(id),
  client_id       text NOT NULL,
  mutation_id     text NOT NULL,
  code            text NOT NULL,
  action          text NOT NULL,
  note            text NOT NULL,
  amount          numeric(30,10),
  amount_currency text,
  follow_up_date  date,
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_id, mutation_id),
  CHECK ((amount IS NULL) = (amount_currency IS NULL))
);
CREATE INDEX exception_resolutions_exception ON exception_resolutions (exception_id);

CREATE TABLE exception_notes (
  id           bigserial PRIMARY KEY,
  exception_id text NOT NULL REFERENCES exceptions(id),
  user_id      text NOT NULL REFERENCES users(id),
  client_id    text NOT NULL,
  mutation_id  text NOT NULL,
  text         text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_id, mutation_id)
);
CREATE INDEX exception_notes_exception ON exception_notes (exception_id);

-- The audit trail. audit_log holds what happened, written in the acting transaction with no lock;
-- audit_chain seals each row into the hash chain (hash = sha256(prev_hash || canonical row),
-- server/src/audit/chain.ts) in the order the sequencer saw them commit; audit_pending is the
-- sequencer's to-do list (rows written, not yet sealed). audit_log and audit_chain are append-only.
CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL,
  actor_id  text,
  action    text NOT NULL,
  entity    text NOT NULL,
  entity_id text NOT NULL,
  details   jsonb NOT NULL
);
CREATE TABLE audit_chain (
  position  bigint PRIMARY KEY,
  audit_id  bigint NOT NULL UNIQUE REFERENCES audit_log(id),
  prev_hash text NOT NULL,
  hash      text NOT NULL
);
CREATE TABLE audit_pending (audit_id bigint PRIMARY KEY REFERENCES audit_log(id));
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$fn$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
-- The owner keeps its rights in PostgreSQL; a deployment that runs the API as a non-owner role
-- gets no UPDATE/DELETE at all. The triggers hold for every role short of disabling them.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_chain FROM PUBLIC;
`;
