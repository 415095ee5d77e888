import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResponseSchema } from '@shared/api/work';
import { buildApp } from '../../server/src/app';
import { defaultConfig } from '../../server/src/config';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import type { Database } from '../../server/src/db/types';
import type { RequestTimingLine } from '../../server/src/http/request-timing';
import { mintTokens, seedLoadFixtures, type LoadFixtures } from '../../scripts/load-fixtures';
import { TEST_JWT_SECRET } from './helpers/app';
import { NO_POSTGRES, realPostgres, type RealPostgres } from './helpers/real-postgres';

const pg = await realPostgres();
if (!pg) console.warn(`request-timing: skipped, ${NO_POSTGRES}`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The get-next bench explains its slowest calls from the servers' timing lines: a line must hold
 * that request's own database time only. get-next schedules a feed pass that runs after it has
 * answered (and may wait for the feed lock); that pass used to be counted as the call's SQL.
 */
describe.skipIf(!pg)('request timing (LEDGERDESK_TIMING_FILE)', () => {
  let db: Database;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let url: string;
  let fixtures: LoadFixtures;
  let tokens: Map<string, string>;
  let cleanup: (() => Promise<void>) | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-timing-'));
  const file = join(dir, 'timing.jsonl');
  const postgres = pg as RealPostgres;

  beforeAll(async () => {
    const fresh = await postgres.fresh();
    cleanup = fresh.cleanup;
    db = await openDatabase({ databaseUrl: fresh.url, poolSize: 4 });
    await migrate(db);
    fixtures = await seedLoadFixtures(db, { operators: 2, openExceptions: 50 });
    tokens = await mintTokens(db, TEST_JWT_SECRET, fixtures.operators);
    app = await buildApp({ db, config: defaultConfig({ jwtSecret: TEST_JWT_SECRET }), timingFile: file });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await db?.close();
    await cleanup?.();
    postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts a get-next call's own statements, not the feed pass it schedules", async () => {
    const op = fixtures.operators[0];
    const res = await fetch(`${url}/api/work/next`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tokens.get(op?.id ?? '') ?? ''}`,
        'x-call-id': 'call-1',
      },
      body: JSON.stringify({ count: 3 }),
    });
    expect(nextResponseSchema.parse(await res.json()).items).toHaveLength(3);
    // The feed pass runs ~250 ms after the answer; the line is written ~300 ms after it, and the
    // file on close.
    await sleep(1000);
    const positioned = await db.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM change_feed WHERE pos IS NOT NULL',
    );
    expect(Number(positioned[0]?.n), 'the scheduled pass ran').toBeGreaterThan(0);
    await app.close();
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RequestTimingLine)
      .find((l) => l.call === 'call-1');
    expect(line?.url).toBe('/api/work/next');
    // The session check and get-next itself; the pass's four statements are not the call's.
    expect(line?.statements).toBe(2);
    expect(line?.sqlMs ?? Infinity).toBeLessThanOrEqual(line?.serverMs ?? 0);
  });
});
