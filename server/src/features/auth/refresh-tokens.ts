import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { announceSessionsEnded } from '../../auth/sessions-ended';
import type { Database, Queryable } from '../../db/types';

/** Opaque to the client; the database keeps only its SHA-256 so a leaked table grants nothing. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function storeRefreshToken(
  db: Queryable,
  token: string,
  userId: string,
  ttlSeconds: number,
  familyId: string = randomUUID(),
): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [digest(token), userId, familyId, ttlSeconds],
  );
}

/**
 * Starts a session: a new refresh-token family, whose id access tokens carry as `sid` so that
 * revoking the family ends them too. Returns the first refresh token and the session id.
 */
export async function openSession(
  db: Queryable,
  userId: string,
  ttlSeconds: number,
): Promise<{ refreshToken: string; sessionId: string }> {
  const refreshToken = newRefreshToken();
  const sessionId = randomUUID();
  await storeRefreshToken(db, refreshToken, userId, ttlSeconds, sessionId);
  return { refreshToken, sessionId };
}

export type RotateResult =
  | { ok: true; userId: string; sessionId: string; token: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

/**
 * Spends a refresh token and issues its successor in the same family. Presenting a token that
 * was already spent means a copy exists elsewhere, so the whole family is revoked (RFC 6819
 * 5.2.2.3): the thief and the real client are both sent back to the login screen.
 */
export async function rotateRefreshToken(
  db: Database,
  presented: string,
  ttlSeconds: number,
): Promise<RotateResult> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{
      id: string;
      user_id: string;
      family_id: string;
      revoked: boolean;
      expired: boolean;
    }>(
      `SELECT id, user_id, family_id, revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [digest(presented)],
    );
    const row = rows[0];
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revoked) {
      await tx.query(
        `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
        [row.family_id],
      );
      await announceSessionsEnded(tx, { userId: row.user_id, sessionId: row.family_id });
      return { ok: false, reason: 'reused' };
    }
    if (row.expired) return { ok: false, reason: 'expired' };
    await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1`, [row.id]);
    const token = newRefreshToken();
    await storeRefreshToken(tx, token, row.user_id, ttlSeconds, row.family_id);
    return { ok: true, userId: row.user_id, sessionId: row.family_id, token };
  });
}

/**
 * Logout: ends the session the refresh token belongs to (spent or not: any token of the family
 * names it). Unknown tokens are ignored, as RFC 7009 asks, so the answer reveals nothing.
 * Returns the user whose session ended, if any.
 */
export async function revokeFamilyOf(db: Database, presented: string): Promise<string | null> {
  const rows = await db.query<{ user_id: string; family_id: string }>(
    `SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1`,
    [digest(presented)],
  );
  const row = rows[0];
  if (!row) return null;
  await revokeSession(db, row.user_id, row.family_id);
  return row.user_id;
}

/** Revokes every token of one session (refresh-token family) and closes its event streams. */
export async function revokeSession(db: Database, userId: string, sessionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE family_id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [sessionId, userId],
    );
    await announceSessionsEnded(tx, { userId, sessionId });
  });
}

/** Every session of a user (deactivation), in the caller's transaction. */
export async function revokeAllSessions(tx: Queryable, userId: string): Promise<void> {
  await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [
    userId,
  ]);
  await announceSessionsEnded(tx, { userId, sessionId: null });
}
