import { createHash, randomBytes, randomUUID } from 'node:crypto';
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

export type RotateResult =
  { ok: true; userId: string; token: string } | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

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
      return { ok: false, reason: 'reused' };
    }
    if (row.expired) return { ok: false, reason: 'expired' };
    await tx.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1`, [row.id]);
    const token = newRefreshToken();
    await storeRefreshToken(tx, token, row.user_id, ttlSeconds, row.family_id);
    return { ok: true, userId: row.user_id, token };
  });
}
