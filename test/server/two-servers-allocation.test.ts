import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResponseSchema } from '@shared/api/work';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import type { Database } from '../../server/src/db/types';
import { mintTokens, seedLoadFixtures, type LoadFixtures } from '../../scripts/load-fixtures';
import { spawnServer, type ServerProcess } from '../../scripts/server-processes';
import { TEST_JWT_SECRET } from './helpers/app';
import { NO_POSTGRES, realPostgres, type RealPostgres } from './helpers/real-postgres';

const OPERATORS = 200;
const OPEN = 6000;
const RUN_MS = 8000;

const pg = await realPostgres();
if (!pg) console.warn(`two-servers-allocation: skipped, ${NO_POSTGRES}`);

/**
 * Acceptance 2: two server processes on one PostgreSQL, 200 operators calling get-next at once
 * (no think time, so every call races others on the same top-of-queue rows, on both servers).
 * No exception may ever be leased to two operators.
 */
describe.skipIf(!pg)('two server processes, 200 concurrent operators', () => {
  let db: Database;
  let servers: ServerProcess[] = [];
  let fixtures: LoadFixtures;
  let tokens: Map<string, string>;
  let cleanup: (() => Promise<void>) | undefined;
  const postgres = pg as RealPostgres;

  beforeAll(async () => {
    const fresh = await postgres.fresh();
    cleanup = fresh.cleanup;
    db = await openDatabase({ databaseUrl: fresh.url });
    await migrate(db);
    fixtures = await seedLoadFixtures(db, { operators: OPERATORS, openExceptions: OPEN });
    tokens = await mintTokens(db, TEST_JWT_SECRET, fixtures.operators);
    const env = { DATABASE_URL: fresh.url, LEDGERDESK_JWT_SECRET: TEST_JWT_SECRET, LEDGERDESK_DB_POOL: '20' };
    servers = await Promise.all([spawnServer(env), spawnServer(env)]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.close();
    await cleanup?.();
    postgres.stop();
  });

  it('never leases one exception to two operators at once', async () => {
    const granted = new Map<string, string[]>();
    let calls = 0;
    let failures = 0;
    const deadline = Date.now() + RUN_MS;
    await Promise.all(
      fixtures.operators.map(async (op, i) => {
        const server = servers[i % servers.length];
        const token = tokens.get(op.id);
        if (!server || !token) throw new Error('setup');
        while (Date.now() < deadline) {
          const res = await fetch(`${server.url}/api/work/next`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ count: i % 4 === 0 ? 5 : 1 }),
          });
          calls += 1;
          if (res.status !== 200) {
            failures += 1;
            continue;
          }
          const body = nextResponseSchema.parse(await res.json());
          if (body.items.length === 0) return; // the queue ran dry
          for (const item of body.items) {
            expect(item.lease.userId).toBe(op.id);
            granted.set(item.exception.id, [...(granted.get(item.exception.id) ?? []), op.id]);
          }
        }
      }),
    );
    expect(failures).toBe(0);
    expect(calls).toBeGreaterThan(OPERATORS);
    const doubles = [...granted].filter(([, holders]) => holders.length > 1);
    expect(doubles).toEqual([]);
    expect(granted.size).toBeGreaterThan(OPERATORS);

    // The database agrees: one lease per exception, held by whoever the answer named.
    const perException = await db.query<{ exception_id: string; n: string }>(
      `SELECT exception_id, count(*) AS n FROM leases GROUP BY exception_id HAVING count(*) > 1`,
    );
    expect(perException).toEqual([]);
    const rows = await db.query<{ id: string; assignee_id: string }>(
      `SELECT id, assignee_id FROM exceptions WHERE lease_id IS NOT NULL`,
    );
    expect(rows.length).toBe(granted.size);
    for (const r of rows) expect(granted.get(r.id)).toEqual([r.assignee_id]);
    console.log(`two-servers-allocation: ${calls} get-next calls, ${granted.size} leases, 0 double leases`);
  });
});
