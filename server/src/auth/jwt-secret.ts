import { randomBytes } from 'node:crypto';
import type { Database } from '../db/types';

/**
 * The access-token key: LEDGERDESK_JWT_SECRET when given, else one generated on first start and
 * kept in server_settings (inside the PGlite data folder, or the shared PostgreSQL database so
 * every server process on it signs with the same key). Insert-if-absent makes concurrent first
 * starts agree on one value.
 */
export async function resolveJwtSecret(db: Database, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  await db.query(
    `INSERT INTO server_settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`,
    [randomBytes(48).toString('base64url')],
  );
  const rows = await db.query<{ value: string }>(
    `SELECT value FROM server_settings WHERE key = 'jwt_secret'`,
  );
  const secret = rows[0]?.value;
  if (!secret) throw new Error('server_settings has no jwt_secret after insert');
  return secret;
}
