/**
 * Reconciliation benchmark on an embedded PGlite: N internal usage lines and N partner (AWS)
 * metering lines, written as CSV, then imported (read, checked, staged) and reconciled, each
 * stage timed. Every 50th customer is 100 tokens short on the partner side, so the run opens
 * exceptions as well as matching.
 *
 * Run: npm run bench:recon -- [--rows N] (default 10,000 lines a side)
 */
import { performance } from 'node:perf_hooks';
import { formatByName } from '@shared/ingest/format-registry';
import type { FormatSpec } from '@shared/ingest/format-spec';
import { migrate } from '../server/src/db/migrate';
import { openDatabase } from '../server/src/db/open';
import { importFile } from '../server/src/features/ingest/import-file';
import { readTable } from '../server/src/features/ingest/read-file';
import { validateTable } from '../server/src/features/ingest/validate-table';
import { runReconciliation } from '../server/src/features/recon/run';
import { toCsv } from '../test/support/ingest-fixtures';

function rowsArg(argv: readonly string[]): number {
  const i = argv.indexOf('--rows');
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--rows='))?.slice(7);
  const n = raw === undefined ? 10_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 100) throw new Error('--rows takes a whole number of at least 100');
  return n;
}

const ROWS = rowsArg(process.argv.slice(2));
const CUSTOMERS = Math.max(1, Math.floor(ROWS / 20));

function csv(name: string, rows: Array<Record<string, string>>): Uint8Array {
  const spec = formatByName(name) as FormatSpec;
  const headers = spec.columns.map((c) => c.header);
  return toCsv({ headers, rows: rows.map((r) => headers.map((h) => ({ text: r[h] ?? '' }))) });
}

const at = (i: number): string => new Date(Date.UTC(2026, 2, 1) + (i % 600) * 3_600_000).toISOString();
const customer = (i: number): number => i % CUSTOMERS;

function files(): Array<{ fileName: string; bytes: Uint8Array }> {
  const ours = [];
  const theirs = [];
  for (let i = 0; i < ROWS; i++) {
    const c = customer(i);
    ours.push({
      usage_id: `U-${i}`,
      customer_id: `CUST-${c}`,
      sku: 'SKU-LLM',
      dimension: 'tokens',
      usage_start: at(i),
      usage_end: at(i + 1),
      quantity: '1000.25',
    });
    // The first line of every 50th customer is 100 tokens short on the partner side.
    const short = c % 50 === 0 && i < CUSTOMERS;
    theirs.push({
      MeteringRecordId: `M-${i}`,
      ProductCode: 'prod-llm',
      Timestamp: at(i),
      CustomerAWSAccountId: `ACC-${c}`,
      Dimension: 'tokens',
      Quantity: short ? '900.25' : '1000.25',
      Status: 'Success',
    });
  }
  const cards = Array.from({ length: CUSTOMERS }, (_, c) => ({
    contract_id: `CON-${c}`,
    customer_id: `CUST-${c}`,
    sku: 'SKU-LLM',
    unit_price: '0.002',
    currency: 'USD',
    effective_from: '2026-01-01',
    rounding_mode: 'half_up',
    total_rule: 'round_sum',
  }));
  const invoices = Array.from({ length: CUSTOMERS }, (_, c) => ({
    invoice_id: `INV-${c}`,
    line_id: `L-${c}`,
    customer_id: `CUST-${c}`,
    invoice_date: '2026-03-31',
    sku: 'SKU-LLM',
    quantity: '20005',
    unit_price: '0.002',
    line_amount: '40.01',
    currency: 'USD',
    invoice_total: '40.01',
  }));
  return [
    { fileName: 'internal-usage.csv', bytes: csv('internal-usage', ours) },
    { fileName: 'aws-metering.csv', bytes: csv('aws-metering', theirs) },
    { fileName: 'rate-cards.csv', bytes: csv('rate-cards', cards) },
    { fileName: 'internal-invoices.csv', bytes: csv('internal-invoices', invoices) },
  ];
}

async function main(): Promise<void> {
  const rss = (): string => `${Math.round(process.memoryUsage().rss / 1048576)} MB`;
  console.log(`bench:recon: ${ROWS.toLocaleString('en-US')} lines a side, ${CUSTOMERS} customers (PGlite)`);
  let t = performance.now();
  const input = files();
  console.log(`  write CSV           ${(performance.now() - t).toFixed(0)} ms`);
  const db = await openDatabase({});
  await migrate(db);
  await db.query(
    `INSERT INTO recon_account_map (channel, partner_account, customer_id, customer_name, updated_by)
     SELECT 'aws', 'ACC-' || c, 'CUST-' || c, 'Customer ' || c, 'bench' FROM generate_series(0, $1::int - 1) c`,
    [CUSTOMERS],
  );
  await db.query(
    `INSERT INTO recon_sku_map (channel, partner_product, sku, updated_by) VALUES ('aws', 'prod-llm', 'SKU-LLM', 'bench')`,
  );
  for (const f of input) {
    t = performance.now();
    const table = readTable(f.fileName, f.bytes);
    const read = performance.now() - t;
    if (!table.ok) throw new Error(table.message);
    t = performance.now();
    const checked = validateTable(f.fileName, table.rows);
    const check = performance.now() - t;
    t = performance.now();
    const summary = await importFile(db, { ...f, importedBy: 'bench' });
    const whole = performance.now() - t;
    if (summary.outcome !== 'imported' || !checked.ok)
      throw new Error(`${f.fileName}: ${JSON.stringify(summary.problems)}`);
    console.log(
      `  import ${f.fileName.padEnd(22)} ${summary.rows} rows: ${whole.toFixed(0)} ms ` +
        `(read ${read.toFixed(0)}, check ${check.toFixed(0)}, the rest staging) rss ${rss()}`,
    );
  }
  t = performance.now();
  const steps: string[] = [];
  const run = await runReconciliation(db, {
    period: '2026-03',
    runBy: 'bench',
    actorId: null,
    onStep: (name, ms) => steps.push(`${name} ${ms.toFixed(0)}`),
  });
  console.log(
    `  reconcile           ${(performance.now() - t).toFixed(0)} ms: matched ${run.matched}, opened ${run.opened} rss ${rss()}`,
  );
  console.log(`    by statement (ms): ${steps.join(', ')}`);
  t = performance.now();
  const again = await runReconciliation(db, { period: '2026-03', runBy: 'bench', actorId: null });
  console.log(
    `  reconcile again     ${(performance.now() - t).toFixed(0)} ms: opened ${again.opened}, unchanged ${again.unchanged}`,
  );
  await db.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
