/**
 * `npm test`: every suite, in the order a failure is cheapest to read, then one summary line
 * `N passed, N failed` (CI reads it). Checks (typecheck, lint, import boundaries, Electron
 * security scan, build) count as one test each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';

interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
}
const results: SuiteResult[] = [];
const reports = mkdtempSync(join(tmpdir(), 'ledgerdesk-test-'));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function check(name: string, cmd: string, args: string[]): void {
  console.log(`\n== ${name}`);
  const ok = run(cmd, args) === 0;
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
}

const vitestReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
});

function vitest(name: string, args: string[], env: NodeJS.ProcessEnv): void {
  console.log(`\n== ${name}`);
  const out = join(reports, `${name.replace(/\W+/g, '-')}.json`);
  const status = run(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    env,
  );
  if (!existsSync(out)) {
    results.push({ name, passed: 0, failed: 1, skipped: 0 });
    return;
  }
  const r = vitestReport.parse(JSON.parse(readFileSync(out, 'utf8')));
  // A crash outside any test (a failing hook, an unhandled error) fails the run with no failed test.
  const failed = r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0);
  results.push({ name, passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests });
}

const playwrightReport = z.object({
  stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }),
});

function playwright(name: string): void {
  console.log(`\n== ${name}`);
  const out = join(reports, 'playwright.json');
  const status = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_FILE: out,
  });
  if (!existsSync(out)) {
    results.push({ name, passed: 0, failed: 1, skipped: 0 });
    return;
  }
  const { stats } = playwrightReport.parse(JSON.parse(readFileSync(out, 'utf8')));
  const failed = stats.unexpected + (status !== 0 && stats.unexpected === 0 ? 1 : 0);
  results.push({ name, passed: stats.expected + stats.flaky, failed, skipped: stats.skipped });
}

async function main(): Promise<void> {
  check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  // shared/ with neither Node nor DOM types, renderer/ with DOM and no Node: a wrong global fails here.
  check('typecheck shared/ (no Node, no DOM)', 'npx', ['tsc', '-p', 'tsconfig.shared.json', '--noEmit']);
  check('typecheck renderer/ (DOM, no Node)', 'npx', ['tsc', '-p', 'tsconfig.renderer.json', '--noEmit']);
  check('lint', 'npm', ['run', '--silent', 'lint']);
  check('SOP modules (sops:check)', 'npx', ['tsx', 'scripts/sops-check.ts']);
  check('electron security scan', 'npx', ['tsx', 'scripts/check-electron-security.ts']);
  check('build', 'npx', ['electron-vite', 'build']);

  let cluster: PostgresCluster | null = null;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    cluster = await startPostgresCluster();
    databaseUrl = cluster?.url;
  }
  if (!databaseUrl) {
    const msg = 'PostgreSQL binaries not found: server tests run on PGlite only (apt-get install postgresql)';
    if (process.env.LEDGERDESK_REQUIRE_POSTGRES === '1') {
      console.error(msg);
      results.push({ name: 'postgresql available', passed: 0, failed: 1, skipped: 0 });
    } else console.warn(msg);
  }
  try {
    vitest('unit, integration and server', [], databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  } finally {
    cluster?.stop();
  }
  playwright('end-to-end (browser mode)');

  console.log('\n== summary');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(34)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`,
    );
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
