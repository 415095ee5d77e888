import type { Queryable } from '../db/types';

/** Whether a session may still be used: it has a live refresh token, and its user is not deactivated. */
export type SessionLiveness = (userId: string, sessionId: string) => Promise<boolean>;

/**
 * Asked on every authenticated request, so a logout, a detected refresh-token reuse or a
 * deactivation refuses the session's access tokens from the next request on, on every server
 * process (no cache to invalidate). One probe of the partial index refresh_tokens_live_family and
 * the users primary key; a rotation revokes the old token and stores its successor in one
 * transaction, so a family being refreshed is never seen without a live token.
 */
export function sessionLiveness(db: Queryable): SessionLiveness {
  return async (userId, sessionId) => {
    const rows = await db.query<{ live: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM refresh_tokens r JOIN users u ON u.id = r.user_id
          WHERE r.family_id = $1 AND r.revoked_at IS NULL AND r.user_id = $2 AND u.deactivated_at IS NULL
       ) AS live`,
      [sessionId, userId],
      { prepare: 'session_live' },
    );
    return rows[0]?.live === true;
  };
}
