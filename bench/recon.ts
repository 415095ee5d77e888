/**
 * Reconciliation benchmark (issue 13, acceptance 5): N internal usage lines against N partner
 * (AWS metering) lines from CSV files on disk, end to end (read, check, stage with COPY, match,
 * write exceptions), on PostgreSQL (DATABASE_URL, else a throwaway cluster; --pglite for the
 * embedded one). Then the same usage join in DuckDB over the same CSV files, and the ratio; then
 * a 100k-row xlsx import with its progress. Targets: end to end < 10 s with peak RSS < 1.5 GB
 * (this process; the PostgreSQL server's memory is its own), xlsx < 5 s.
 *
 * Run: npm run bench:recon -- [--rows N] [--xlsx-rows N] [--pglite]   (defaults 1,000,000 and 100,000)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { startPostgresCluster, type PostgresCluster } from '../scripts/postgres-cluster';
import { migrate } from '../server/src/db/migrate';
import { openDatabase } from '../server/src/db/open';
import type { Database } from '../server/src/db/types';
import { importFile, type ImportProgress } from '../server/src/features/ingest/import-file';
import { runReconciliation } from '../server/src/features/recon/run';
import { meteringXlsx, writeBenchFiles, type BenchFiles } from './recon-files';

function numberArg(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n < 100) throw new Error(`${name} takes a whole number of at least 100`);
  return n;
}

const argv = process.argv.slice(2);
const ROWS = numberArg(argv, '--rows', 1_000_000);
const XLSX_ROWS = numberArg(argv, '--xlsx-rows', 100_000);
const PGLITE = argv.includes('--pglite');

const ms = (n: number): string => `${n.toFixed(0)} ms`;
const peakRss = (): string => `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${cpus().length} CPUs`;

async function open(): Promise<{ db: Database; cluster: PostgresCluster | null; kind: string }> {
  if (PGLITE) return { db: await openDatabase({}), cluster: null, kind: 'PGlite' };
  const cluster = process.env.DATABASE_URL ? null : await startPostgresCluster();
  const url = process.env.DATABASE_URL ?? cluster?.url;
  if (!url) return { db: await openDatabase({}), cluster: null, kind: 'PGlite (no PostgreSQL found)' };
  return { db: await openDatabase({ databaseUrl: url, poolSize: 2 }), cluster, kind: 'PostgreSQL' };
}

async function mapCustomers(db: Database, customers: number): Promise<void> {
  await db.query(
    `INSERT INTO recon_account_map (channel, partner_account, customer_id, customer_name, updated_by)
     SELECT 'aws', 'ACC-' || c, 'CUST-' || c, 'Customer ' || c, 'bench' FROM generate_series(0, $1::int - 1) c`,
    [customers],
  );
  await db.query(
    `INSERT INTO recon_sku_map (channel, partner_product, sku, updated_by) VALUES ('aws', 'prod-llm', 'SKU-LLM', 'bench')`,
  );
}

/** Import every file and reconcile the month; the figure acceptance 5 asks for. */
async function endToEnd(db: Database, files: BenchFiles): Promise<{ total: number; match: number }> {
  const start = performance.now();
  for (const path of files.paths) {
    const t = performance.now();
    // When each phase ended: the file read and parsed, every row checked, every row staged.
    const at: Partial<Record<ImportProgress['phase'], number>> = {};
    const summary = await importFile(db, {
      fileName: basename(path),
      bytes: readFileSync(path),
      importedBy: 'bench',
      onProgress: (p) => (at[p.phase] = performance.now()),
    });
    if (summary.outcome !== 'imported') throw new Error(`${path}: ${JSON.stringify(summary.problems)}`);
    const read = (at.read ?? t) - t;
    const check = (at.checked ?? t) - (at.read ?? t);
    const stage = (at.stored ?? t) - (at.checked ?? t);
    console.log(
      `  import ${basename(path).padEnd(22)} ${summary.rows} rows: ${ms(performance.now() - t)} ` +
        `(read ${ms(read)}, check ${ms(check)}, stage by COPY ${ms(stage)}), peak rss ${peakRss()}`,
    );
  }
  const t = performance.now();
  const steps: string[] = [];
  let usage = 0;
  const run = await runReconciliation(db, {
    period: '2026-03',
    runBy: 'bench',
    actorId: null,
    onStep: (name, took) => {
      if (name === 'usage_mismatch') usage = took;
      steps.push(`${name} ${took.toFixed(0)}`);
    },
  });
  const match = performance.now() - t;
  console.log(
    `  reconcile            ${ms(match)}: matched ${run.matched}, opened ${run.opened} (planted ${files.short})`,
  );
  console.log(`    by statement (ms): ${steps.join(', ')}`);
  if (run.opened !== files.short) throw new Error(`expected ${files.short} exceptions, opened ${run.opened}`);
  return { total: performance.now() - start, match: usage };
}

/** The usage rule's join in DuckDB, straight from the same CSV files: load + join, and join alone. */
async function duckdb(dir: string, files: BenchFiles): Promise<{ fromCsv: number; joinOnly: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const t = performance.now();
    await conn.run(`CREATE TABLE acct AS SELECT 'ACC-' || i AS partner_account, 'CUST-' || i AS customer_id
      FROM range(${files.customers}) t(i)`);
    await conn.run(`CREATE TABLE ours AS SELECT customer_id, sku, dimension, usage_start::TIMESTAMPTZ AS ts,
      quantity::DECIMAL(38, 10) AS quantity FROM read_csv('${join(dir, 'internal-usage.csv')}', all_varchar = true)`);
    await conn.run(`CREATE TABLE theirs AS SELECT CustomerAWSAccountId AS account, ProductCode AS product, Dimension AS dimension,
      Timestamp::TIMESTAMPTZ AS ts, Quantity::DECIMAL(38, 10) AS quantity, Status AS status
      FROM read_csv('${join(dir, 'aws-metering.csv')}', all_varchar = true)`);
    const loaded = performance.now();
    const result = await conn.runAndReadAll(`
      WITH o AS (SELECT customer_id, sku, dimension, sum(quantity) AS qty FROM ours
                 WHERE ts >= '2026-03-01T00:00:00Z' AND ts < '2026-04-01T00:00:00Z' GROUP BY ALL),
           t AS (SELECT a.customer_id, 'SKU-LLM' AS sku, th.dimension, sum(th.quantity) AS qty
                 FROM theirs th JOIN acct a ON a.partner_account = th.account
                 WHERE th.status = 'Success' AND th.product = 'prod-llm'
                   AND th.ts >= '2026-03-01T00:00:00Z' AND th.ts < '2026-04-01T00:00:00Z' GROUP BY ALL)
      SELECT count(*) FILTER (WHERE o.qty IS DISTINCT FROM t.qty)::INTEGER AS mismatched
      FROM o FULL JOIN t USING (customer_id, sku, dimension)`);
    const done = performance.now();
    const mismatched = Number(result.getRowObjects()[0]?.mismatched);
    if (mismatched !== files.short)
      throw new Error(`DuckDB found ${mismatched} mismatches, expected ${files.short}`);
    return { fromCsv: done - t, joinOnly: done - loaded };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function xlsxImport(db: Database): Promise<number> {
  const bytes = meteringXlsx(XLSX_ROWS);
  let last = '';
  const progress = (p: ImportProgress): void => {
    const pct = Math.floor((100 * p.rows) / Math.max(1, p.of) / 25) * 25;
    const line = `${p.phase} ${pct}%`;
    if (line !== last) process.stdout.write(`${last ? ', ' : '    progress: '}${line}`);
    last = line;
  };
  const t = performance.now();
  const summary = await importFile(db, {
    fileName: 'metering.xlsx',
    bytes,
    importedBy: 'bench',
    onProgress: progress,
  });
  const took = performance.now() - t;
  process.stdout.write('\n');
  if (summary.outcome !== 'imported') throw new Error(`xlsx: ${JSON.stringify(summary.problems)}`);
  return took;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-bench-recon-'));
  const { db, cluster, kind } = await open();
  try {
    let t = performance.now();
    const files = writeBenchFiles(dir, ROWS);
    console.log(
      `bench:recon: ${ROWS.toLocaleString('en-US')} lines a side, ${files.customers} customers, ${kind}; ${load()}`,
    );
    console.log(`  write CSV files (not timed)  ${ms(performance.now() - t)}`);
    await migrate(db);
    await mapCustomers(db, files.customers);
    const e2e = await endToEnd(db, files);
    console.log(
      `  END TO END           ${ms(e2e.total)} (target < 10000), peak rss ${peakRss()} (target < 1536 MB)`,
    );
    t = performance.now();
    const again = await runReconciliation(db, { period: '2026-03', runBy: 'bench', actorId: null });
    console.log(
      `  reconcile again      ${ms(performance.now() - t)}: opened ${again.opened}, unchanged ${again.unchanged}`,
    );
    const duck = await duckdb(dir, files);
    console.log(
      `  DuckDB               from CSV ${ms(duck.fromCsv)}, join alone ${ms(duck.joinOnly)}; ` +
        `ratio end to end / DuckDB from CSV ${(e2e.total / duck.fromCsv).toFixed(1)}x, ` +
        `usage_mismatch statement / DuckDB join ${(e2e.match / duck.joinOnly).toFixed(1)}x`,
    );
    const xlsx = await xlsxImport(db);
    console.log(
      `  xlsx import          ${XLSX_ROWS.toLocaleString('en-US')} rows: ${ms(xlsx)} (target < 5000)`,
    );
    console.log(`  ${load()}`);
  } finally {
    await db.close();
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
