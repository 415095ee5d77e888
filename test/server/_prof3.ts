import { startPostgresCluster } from '../../scripts/postgres-cluster';
import { mintTokens, seedLoadFixtures } from '../../scripts/load-fixtures';
import { spawnServer } from '../../scripts/server-processes';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
const c = await startPostgresCluster({ durable: process.env.DURABLE === "1" });
if (!c) throw new Error('x');
const S = 'bench-secret-that-is-long-enough-for-hs256-0123456789';
try {
  const db = await openDatabase({ databaseUrl: c.url });
  await migrate(db);
  const f = await seedLoadFixtures(db, { operators: 2, openExceptions: 3000 });
  const t = await mintTokens(S, f.operators);
  const s = await spawnServer({ DATABASE_URL: c.url, LEDGERDESK_JWT_SECRET: S });
  const tok = t.get(f.operators[0]!.id)!;
  const lat: number[] = [];
  for (let i = 0; i < 40; i++) {
    const st = performance.now();
    const r = await fetch(s.url + '/api/work/next', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + tok }, body: '{"count":1}' });
    await r.text();
    lat.push(performance.now() - st);
  }
  console.log(lat.map((x) => x.toFixed(1)).join(' '));
  const st = performance.now();
  for (let i = 0; i < 20; i++) await (await fetch(s.url + '/api/health')).text();
  console.log('health avg', ((performance.now() - st) / 20).toFixed(1));
  await s.stop(); await db.close();
} finally { c.stop(); }
