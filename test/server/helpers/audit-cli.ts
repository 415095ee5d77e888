import { spawnSync } from 'node:child_process';
import type { OpenDatabaseOptions } from '@server/db/open';

/** Runs `npm run audit:verify` as an operator would, against exactly this database. */
export function verifyCli(options: OpenDatabaseOptions): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.LEDGERDESK_SERVER_DATA;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.pgliteDir) env.LEDGERDESK_SERVER_DATA = options.pgliteDir;
  const r = spawnSync('npm', ['run', '--silent', 'audit:verify'], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
