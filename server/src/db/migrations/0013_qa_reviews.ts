export const name = 'qa_reviews';

/**
 * QA reviews, disputes and calibration rounds (issue 15, part 2).
 *
 * - `qa_reviews`: one row per review of one resolution. `live` reviews come from a draw's sample
 *   (one per resolution) and, after a failed one, the re-review of the reworked item
 *   (`awaiting_rework` until the operator resolves it again; its resolution is fixed at submit).
 *   `calibration` reviews are one per (round, item, reviewer) and never touch the item or the
 *   operator's figures. `known_answer` is reserved for exercises mixed into live queues.
 *   `rubric` holds the scored items as submitted (and as a dispute decision changed them).
 *   A reviewer is never the operator whose work it is (route 403, and the CHECK below).
 * - `qa_disputes`: at most one per review; the lead who decides is never the operator (CHECK) nor
 *   the reviewer (route 403). A decided dispute locks the review.
 * - `exceptions_rework`: get-next's branch for items sent back to their operator as rework.
 */
export const sql = `
CREATE TABLE qa_calibration_rounds (
  id            uuid PRIMARY KEY,
  created_by    text NOT NULL REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  reviewer_ids  text[] NOT NULL,
  exception_ids text[] NOT NULL
);

CREATE TABLE qa_reviews (
  id                 uuid PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('live', 'calibration', 'known_answer')),
  draw_id            uuid REFERENCES qa_draws (id),
  round_id           uuid REFERENCES qa_calibration_rounds (id),
  previous_review_id uuid REFERENCES qa_reviews (id),
  exception_id       text NOT NULL REFERENCES exceptions (id),
  resolution_id      bigint REFERENCES exception_resolutions (id),
  operator_id        text NOT NULL REFERENCES users (id),
  reviewer_id        text REFERENCES users (id),
  sop_id             text,
  sop_version        text,
  state              text NOT NULL
    CHECK (state IN ('pending', 'awaiting_rework', 'submitted', 'disputed', 'locked')),
  rubric             jsonb,
  score              numeric(5, 2),
  critical_failed    boolean,
  outcome            text CHECK (outcome IN ('pass', 'fail')),
  feedback           text,
  sent_to_rework     boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  submitted_at       timestamptz,
  CHECK (reviewer_id IS NULL OR reviewer_id <> operator_id),
  CHECK (kind <> 'calibration' OR (round_id IS NOT NULL AND reviewer_id IS NOT NULL))
);
CREATE UNIQUE INDEX qa_reviews_one_live_per_resolution ON qa_reviews (resolution_id) WHERE kind = 'live';
CREATE UNIQUE INDEX qa_reviews_one_awaiting_rework ON qa_reviews (exception_id) WHERE state = 'awaiting_rework';
CREATE UNIQUE INDEX qa_reviews_one_per_round_reviewer ON qa_reviews (round_id, exception_id, reviewer_id)
  WHERE kind = 'calibration';
CREATE INDEX qa_reviews_inbox ON qa_reviews (state, created_at);
CREATE INDEX qa_reviews_by_operator ON qa_reviews (operator_id, submitted_at);
CREATE INDEX qa_reviews_by_exception ON qa_reviews (exception_id);

CREATE TABLE qa_disputes (
  id               uuid PRIMARY KEY,
  review_id        uuid NOT NULL UNIQUE REFERENCES qa_reviews (id),
  operator_id      text NOT NULL REFERENCES users (id),
  comment          text NOT NULL,
  contested        text[] NOT NULL,
  state            text NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'accepted', 'partly_accepted', 'rejected')),
  opened_at        timestamptz NOT NULL,
  decided_by       text REFERENCES users (id),
  decided_at       timestamptz,
  decision_comment text,
  overturned       text[],
  score_before     numeric(5, 2) NOT NULL,
  score_after      numeric(5, 2),
  CHECK (decided_by IS NULL OR decided_by <> operator_id)
);
CREATE INDEX qa_disputes_state ON qa_disputes (state, opened_at);

CREATE INDEX exceptions_rework ON exceptions (assignee_id, sla_due_at) WHERE status = 'rework';
`;
