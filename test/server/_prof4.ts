import { startPostgresCluster } from '../../scripts/postgres-cluster';
import { seedLoadFixtures } from '../../scripts/load-fixtures';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { GET_NEXT_SQL, getNext } from '../../server/src/features/work/allocation';
import { defaultConfig } from '../../server/src/config';
import { sequencePass } from '../../server/src/db/sequencer';
const c = await startPostgresCluster();
if (!c) throw new Error('x');
try {
  const db = await openDatabase({ databaseUrl: c.url });
  await migrate(db);
  const f = await seedLoadFixtures(db, { operators: 3, openExceptions: 3000 });
  let t = performance.now(); await sequencePass(db); console.log('first pass', performance.now() - t);
  await db.query('ANALYZE');
  const cfg = defaultConfig();
  for (let i = 0; i < 30; i++) { t = performance.now(); await getNext(db, f.operators[0]!, { count: 1 }, cfg); console.log('getNext', (performance.now() - t).toFixed(1)); }
  const pool = await openDatabase({ databaseUrl: c.url, poolSize: 1 });
  for (let i = 0; i < 12; i++) { t = performance.now(); await getNext(pool, f.operators[2]!, { count: 1 }, cfg); console.log('one-conn getNext', (performance.now() - t).toFixed(1)); }
  console.log(await pool.query('SELECT name, generic_plans, custom_plans FROM pg_prepared_statements'));
  await pool.close();
  t = performance.now(); await sequencePass(db); console.log('pass', performance.now() - t);
  await db.transaction(async (tx) => {
    const plan = await tx.query<Record<string, string>>('EXPLAIN (ANALYZE, SUMMARY) ' + GET_NEXT_SQL, [f.operators[1]!.id, null, 86400, 65, 1, 400, 36000, new Date().toISOString()]);
    const lines = plan.map((r) => Object.values(r)[0] ?? '');
    console.log(lines.filter((l) => /Planning|Execution|Trigger|actual time=[0-9.]+\.\.([0-9]{2,}|[2-9])\./.test(l)).join('\n'));
  });
  await db.close();
} finally { c.stop(); }
