import { spawnSync } from 'node:child_process';
import type { OpenDatabaseOptions } from '@server/db/open';

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run <script> -- args` against the given database, as a scheduler would. */
export function runNpmScript(
  script: string,
  options: OpenDatabaseOptions,
  args: string[],
  extraEnv: Record<string, string> = {},
): ScriptResult {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env.DATABASE_URL;
  delete env.LEDGERDESK_SERVER_DATA;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.pgliteDir) env.LEDGERDESK_SERVER_DATA = options.pgliteDir;
  const r = spawnSync('npm', ['run', '--silent', script, '--', ...args], {
    encoding: 'utf8',
    env,
    timeout: 180_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
