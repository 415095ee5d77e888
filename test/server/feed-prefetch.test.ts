import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../server/src/auth/auth-user';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { sequencePass } from '../../server/src/db/sequencer';
import type { Database, Queryable } from '../../server/src/db/types';
import { seedDemo } from '../../server/src/demo/seed';
import { createFeedPageReader } from '../../server/src/features/sync/feed-prefetch';
import { readFeedJson } from '../../server/src/features/sync/feed-repo';
import { databaseTargets, type FreshDatabase } from './helpers/databases';

const LEAD: AuthUser = { id: 'user-lead1', username: 'lead1', roles: ['lead'] };
const QA: AuthUser = { id: 'user-qa1', username: 'qa1', roles: ['qa'] };

describe.each(databaseTargets())('pull pages read ahead on $kind', (target) => {
  let fresh: FreshDatabase;
  let db: Database;
  /** Counts feed reads (the only statement a reader runs). */
  let reads = 0;
  const counting = (): Queryable => ({
    query: (sql, params, opts) => {
      if (sql.includes('FROM change_feed f')) reads += 1;
      return db.query(sql, params, opts);
    },
    exec: (sql) => db.exec(sql),
  });

  beforeAll(async () => {
    fresh = await target.fresh();
    db = await openDatabase(fresh.options);
    await migrate(db);
    await seedDemo(db, { count: 120, seed: 3, now: new Date('2026-03-15T09:30:00Z') });
    await sequencePass(db);
  });
  afterAll(async () => {
    await db?.close();
    await fresh?.cleanup();
  });

  it('answers the next page from what it read ahead, equal to reading it then', async () => {
    const reader = createFeedPageReader(counting());
    reads = 0;
    const first = await reader.read(LEAD, 0, 50);
    expect(first.hasMore).toBe(true);
    // The page itself, and the next one read ahead.
    expect(reads).toBe(2);
    const second = await reader.read(LEAD, first.cursor, 50);
    expect(second.json).toBe((await readFeedJson(db, LEAD, first.cursor, 50)).json);
    // Only the page after it was read (ahead again): the second page came from memory.
    expect(reads).toBe(3);
    const third = await reader.read(LEAD, second.cursor, 50);
    expect(third.hasMore).toBe(false);
    expect(reads).toBe(3);
  });

  it('never hands a page read ahead for one user to another, nor one kept past its time', async () => {
    let clock = 1_000;
    const reader = createFeedPageReader(counting(), { ttlMs: 100, now: () => clock });
    reads = 0;
    const first = await reader.read(LEAD, 0, 50);
    expect(reads).toBe(2);
    // QA sees the same rows, but its page is its own read.
    await reader.read(QA, first.cursor, 50);
    expect(reads).toBe(4);
    clock += 101;
    const late = await reader.read(LEAD, first.cursor, 50);
    expect(late.json).toBe((await readFeedJson(db, LEAD, first.cursor, 50)).json);
    expect(reads).toBe(6);
  });
});
