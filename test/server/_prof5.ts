import { startPostgresCluster } from '../../scripts/postgres-cluster';
import { seedLoadFixtures } from '../../scripts/load-fixtures';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { getNext } from '../../server/src/features/work/allocation';
import { defaultConfig } from '../../server/src/config';
const c = await startPostgresCluster({ durable: process.env.DURABLE === '1' });
if (!c) throw new Error('x');
try {
  const db = await openDatabase({ databaseUrl: c.url, poolSize: 20 });
  await migrate(db);
  const f = await seedLoadFixtures(db, { operators: 200, openExceptions: 6000 });
  await db.query('ANALYZE');
  const cfg = defaultConfig();
  const mon = await openDatabase({ databaseUrl: c.url, poolSize: 1 });
  const sampler = (async () => { for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, 1000)); const w = await mon.query<{ w: string; n: string }>(`SELECT coalesce(wait_event_type||':'||wait_event,'cpu') || ' ' || state w, count(*) n FROM pg_stat_activity WHERE backend_type='client backend' AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 2 DESC`); console.log(w.map((r) => `${r.w}=${r.n}`).join(' | ')); } })();
  let calls = 0; const lat: number[] = [];
  const end = Date.now() + 6000;
  await Promise.all(f.operators.map(async (op) => { while (Date.now() < end) { const t = performance.now(); await getNext(db, op, { count: 1 }, cfg); lat.push(performance.now() - t); calls++; await new Promise((r) => setTimeout(r, Number(process.env.THINK ?? 0))); } }));
  await sampler; await mon.close();
  lat.sort((a, b) => a - b);
  console.log('calls', calls, 'p50', lat[Math.floor(lat.length / 2)]?.toFixed(1), 'p99', lat[Math.floor(lat.length * 0.99)]?.toFixed(1));
  await db.close();
} finally { c.stop(); }
