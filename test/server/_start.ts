import { startPostgresCluster } from '../../scripts/postgres-cluster';
import { spawnServer } from '../../scripts/server-processes';
const c = await startPostgresCluster();
if (!c) throw new Error('x');
try {
  await (await spawnServer({ DATABASE_URL: c.url, LEDGERDESK_JWT_SECRET: 'x'.repeat(40) })).kill();
  for (let i = 0; i < 5; i++) { const t = performance.now(); const s = await spawnServer({ DATABASE_URL: c.url, LEDGERDESK_JWT_SECRET: 'x'.repeat(40) }); console.log('start ms', (performance.now() - t).toFixed(0)); await s.kill(); }
} finally { c.stop(); }
