import { startPostgresCluster } from '../../scripts/postgres-cluster';
import { seedLoadFixtures } from '../../scripts/load-fixtures';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { getNext } from '../../server/src/features/work/allocation';
import { defaultConfig } from '../../server/src/config';
const c = await startPostgresCluster();
if (!c) throw new Error('x');
try {
  const db = await openDatabase({ databaseUrl: c.url });
  await migrate(db);
  const f = await seedLoadFixtures(db, { operators: 5, openExceptions: 6000 });
  await db.query('ANALYZE');
  const cfg = defaultConfig();
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await getNext(db, f.operators[i % 5]!, { count: 1 }, cfg);
    console.log('getNext ms', (performance.now() - t).toFixed(2));
  }
  // EXPLAIN
  const { PICK_SQL } = await import('../../server/src/features/work/allocation');
  await db.transaction(async (tx) => {
    const plan = await tx.query<Record<string, string>>('EXPLAIN (ANALYZE, BUFFERS) ' + PICK_SQL, [f.operators[0]!.id, null, 86400, 33, 1]);
    console.log(plan.map((r) => Object.values(r)[0]).join('\n'));
  });
  await db.close();
} finally { c.stop(); }
