export const name = 'sign_in_throttle_sessions';

/**
 * login_throttle: failed-sign-in counts per account (the username as typed, known or not, so a
 * lockout never tells whether an account exists) and per client address. Kept in the database so
 * every API process on it counts the same attempts.
 *
 * users.deactivated_at: a deactivated user can neither sign in nor use a token already issued.
 *
 * refresh_tokens_live_family: every authenticated request asks whether its session (the refresh
 * token family the access token came from) still has a live token; this keeps that one index probe.
 */
export const sql = `
CREATE TABLE login_throttle (
  scope         text NOT NULL CHECK (scope IN ('account', 'address')),
  key           text NOT NULL,
  window_start  timestamptz NOT NULL,
  failures      integer NOT NULL CHECK (failures >= 0),
  lockouts      integer NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
  locked_until  timestamptz,
  PRIMARY KEY (scope, key)
);
CREATE INDEX login_throttle_stale ON login_throttle (window_start);

ALTER TABLE users ADD COLUMN deactivated_at timestamptz;

CREATE INDEX refresh_tokens_live_family ON refresh_tokens (family_id) WHERE revoked_at IS NULL;
`;
