import { generateDemoExceptions } from '@shared/demo/generate';
import type { ExceptionRecord } from '@shared/exception';
import { EXCEPTION_TYPES } from '@shared/exception-types';
import { AccessTokens } from '../server/src/auth/access-token';
import type { AuthUser } from '../server/src/auth/auth-user';
import { hashPassword } from '../server/src/auth/passwords';
import type { Database } from '../server/src/db/types';
import { openSession } from '../server/src/features/auth/refresh-tokens';
import { insertUser } from '../server/src/features/auth/users-repo';
import { insertExceptions } from '../server/src/features/exceptions/repo';
import { grantWorkTypes } from '../server/src/features/work/work-types-repo';
import { loadSopFolder } from '../server/src/features/sops/load-folder';
import { majorOf } from '@shared/sop/versioning';

/**
 * Load-test population for multi-process tests and benchmarks: many operators allowed every
 * type, and many open (unassigned) exceptions, inserted through the server's own repositories.
 */
export interface LoadFixtures {
  operators: AuthUser[];
  exceptionIds: string[];
}

export async function seedLoadFixtures(
  db: Database,
  opts: { operators: number; openExceptions: number; prefix?: string; seed?: number },
): Promise<LoadFixtures> {
  const prefix = opts.prefix ?? 'L';
  const passwordHash = await hashPassword('load-test-password');
  const operators: AuthUser[] = [];
  // Allowed types derive from certifications (issue 14): certify every operator on the current
  // major of each shipped module, so the grant holds once the server publishes its modules.
  const shipped = loadSopFolder('sops').modules;
  await db.transaction(async (tx) => {
    for (let i = 0; i < opts.operators; i++) {
      const username = `load-${prefix.toLowerCase()}-op${String(i + 1).padStart(3, '0')}`;
      const id = await insertUser(tx, {
        username,
        displayName: `Load operator ${i + 1}`,
        roles: ['operator'],
        passwordHash,
      });
      await grantWorkTypes(tx, id, EXCEPTION_TYPES);
      operators.push({ id, username, roles: ['operator'] });
    }
    // One statement for every operator x module (not one per pair: 200 operators x 17 modules).
    await tx.query(
      `INSERT INTO certifications (user_id, module_id, major, version, score_percent, certified_by)
       SELECT u, m.id, m.major, m.version, 100, 'load-fixtures'
         FROM unnest($1::text[]) AS u
        CROSS JOIN unnest($2::text[], $3::int[], $4::text[]) AS m(id, major, version)
       ON CONFLICT DO NOTHING`,
      [
        operators.map((o) => o.id),
        shipped.map((m) => m.id),
        shipped.map((m) => majorOf(m.version)),
        shipped.map((m) => m.version),
      ],
    );
  });
  const now = new Date();
  const records: ExceptionRecord[] = generateDemoExceptions({
    count: opts.openExceptions,
    seed: opts.seed ?? 4242,
    now,
    assigneeIds: [],
  }).map((r, i) => ({
    ...r,
    id: `EX-${prefix}${String(i + 1).padStart(6, '0')}`,
    status: 'open',
    assigneeId: null,
    version: 1,
    updatedAt: r.openedAt,
  }));
  // Several transactions so one giant statement list never holds the feed lock for long.
  for (let start = 0; start < records.length; start += 5000) {
    await db.transaction((tx) => insertExceptions(tx, records.slice(start, start + 5000)));
  }
  return { operators, exceptionIds: records.map((r) => r.id) };
}

/**
 * Access tokens as the server would issue them, signed with the secret the server processes get,
 * each for a session opened in the database (the server refuses a token whose session is not live).
 */
export async function mintTokens(
  db: Database,
  secret: string,
  users: readonly AuthUser[],
  ttlSeconds = 3600,
): Promise<Map<string, string>> {
  const tokens = new AccessTokens(secret, ttlSeconds);
  const out = new Map<string, string>();
  for (const u of users) {
    const { sessionId } = await openSession(db, u.id, ttlSeconds);
    out.set(u.id, await tokens.issue(u, sessionId));
  }
  return out;
}
