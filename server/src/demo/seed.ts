import { generateDemoExceptions } from '../../../shared/demo/generate';
import { hashPassword } from '../auth/passwords';
import { LOCK_DEMO_SEED } from '../db/locks';
import type { Database } from '../db/types';
import { insertExceptions } from '../features/exceptions/repo';
import { insertUser } from '../features/auth/users-repo';
import { DEMO_PASSWORD, DEMO_USERS } from './users';

export interface SeedOptions {
  count?: number;
  seed?: number;
  now?: Date;
}

export interface SeedResult {
  seeded: boolean;
  users: number;
  exceptions: number;
}

export const DEFAULT_DEMO_COUNT = 5_000;
export const DEFAULT_DEMO_SEED = 2026;

/**
 * Demo users and exceptions, only into an empty database (no users, no exceptions), all in one
 * transaction under an advisory lock: of two servers starting in demo mode on one empty
 * database, the second waits, then finds the data and seeds nothing.
 */
export async function seedDemo(db: Database, opts: SeedOptions = {}): Promise<SeedResult> {
  const count = opts.count ?? DEFAULT_DEMO_COUNT;
  const records = generateDemoExceptions({
    count,
    seed: opts.seed ?? DEFAULT_DEMO_SEED,
    now: opts.now ?? new Date(),
  });
  const hashed = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_DEMO_SEED]);
    const existing = await tx.query<{ users: string; exceptions: string }>(
      'SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM exceptions) AS exceptions',
    );
    const row = existing[0];
    if (row && (Number(row.users) > 0 || Number(row.exceptions) > 0))
      return { seeded: false, users: 0, exceptions: 0 };
    for (const user of DEMO_USERS) {
      await insertUser(tx, { ...user, passwordHash: hashed });
    }
    await insertExceptions(tx, records);
    return { seeded: true, users: DEMO_USERS.length, exceptions: records.length };
  });
}
