import { generateDemoExceptions } from '@shared/demo/generate';
import { hashPassword } from '../auth/passwords';
import { LOCK_DEMO_SEED } from '../db/locks';
import type { Database } from '../db/types';
import { insertExceptions } from '../features/exceptions/repo';
import { insertUser } from '../features/auth/users-repo';
import { appendAudit } from '../audit/log';
import { expectedSubmissions, scorePractice } from '@shared/sop/practice';
import { recordAttempt } from '../features/certification/repo';
import { insertPublished } from '../features/sops/registry';
import { DEMO_PASSWORD, DEMO_USERS, DEMO_WORK_TYPES } from './users';
import { seedDemoApprovals } from './approvals';
import { loadSopFolder } from '../features/sops/load-folder';
import { shippedSopsDir } from '../features/sops/registry';

export interface SeedOptions {
  count?: number;
  seed?: number;
  now?: Date;
  /** Lease length for the demo's already-assigned items. */
  leaseTtlSeconds?: number;
  /** The SOP folder the server ships (its modules decide what a demo approval request holds). */
  sopsDir?: string;
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
  const { modules } = loadSopFolder(opts.sopsDir ?? shippedSopsDir());
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
    // The shipped modules are published first, so the demo operators certify on real versions.
    await insertPublished(tx, modules, 'system');
    for (const [userId, types] of Object.entries(DEMO_WORK_TYPES)) {
      for (const m of modules.filter((x) => x.appliesTo.every((t) => types.includes(t)))) {
        await recordAttempt(tx, userId, m, scorePractice(m, expectedSubmissions(m)), 'demo-seed');
      }
    }
    // The generator's assigned / in-progress items get real leases, so their holders can push results.
    await tx.query(
      `WITH leased AS (
         UPDATE exceptions SET lease_id = gen_random_uuid()::text,
           lease_expires_at = now() + make_interval(secs => $1)
         WHERE assignee_id IS NOT NULL AND status IN ('assigned', 'in_progress')
         RETURNING id, assignee_id, lease_id)
       INSERT INTO leases (lease_id, exception_id, user_id, granted_by)
       SELECT lease_id, id, assignee_id, 'demo-seed' FROM leased`,
      [opts.leaseTtlSeconds ?? 10 * 3600],
    );
    // Items waiting for a lead come with their request, as real ones do (issue 11 item 2).
    const approvals = await seedDemoApprovals(tx, records, modules, opts.now ?? new Date());
    await appendAudit(tx, [
      {
        actorId: null,
        action: 'demo.seeded',
        entity: 'server',
        entityId: 'demo',
        details: {
          users: DEMO_USERS.length,
          exceptions: records.length,
          seed: opts.seed ?? DEFAULT_DEMO_SEED,
          approvalRequests: approvals.requests,
          reopened: approvals.reopened,
        },
      },
    ]);
    return { seeded: true, users: DEMO_USERS.length, exceptions: records.length };
  });
}
