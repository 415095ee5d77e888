export const name = 'qa_draws';

/**
 * QA sample draws. A row keeps everything the draw depended on (the policy, the population with
 * the fields the policy reads, the operators' standings, the lot streams' inspection states) and
 * the seed, so re-running it gives the same sample; and the result as it was given out. Rows are
 * never changed: the audit row written with each draw carries the sha256 of input and result, so
 * the hash chain would expose an edited draw even where the trigger is bypassed.
 */
export const sql = `
CREATE TABLE qa_draws (
  id            uuid PRIMARY KEY,
  lot_date      date NOT NULL,
  seed          bigint NOT NULL CHECK (seed BETWEEN 0 AND 4294967295),
  policy_id     text NOT NULL,
  input         jsonb NOT NULL,
  input_sha256  text NOT NULL CHECK (input_sha256 ~ '^[0-9a-f]{64}$'),
  result        jsonb NOT NULL,
  drawn_by      text NOT NULL REFERENCES users (id),
  drawn_at      timestamptz NOT NULL
);
CREATE INDEX qa_draws_by_day ON qa_draws (lot_date, drawn_at);
CREATE TRIGGER qa_draws_append_only BEFORE UPDATE OR DELETE ON qa_draws
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
`;
