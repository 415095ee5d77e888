import { userInfo } from 'node:os';
import { exitWith } from '../../cli-exit';
import { periodSchema } from '@shared/api/recon';
import { migrate } from '../../db/migrate';
import { openDatabaseFromEnv } from '../../db/open-from-env';
import { sequencePass } from '../../db/sequencer';
import { runReconciliation } from './run';

const USAGE = 'usage: npm run reconcile -- --period YYYY-MM [--json]';

/** Parses the command line; a string is the reason it is not valid. */
export function parseReconcileArgs(argv: readonly string[]): { period: string; json: boolean } | string {
  let period: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') json = true;
    else if (a === '--period') {
      period = argv[i + 1];
      i += 1;
    } else if (a.startsWith('--period=')) period = a.slice('--period='.length);
    else return `unknown argument ${a}`;
  }
  if (period === undefined) return '--period is required';
  const parsed = periodSchema.safeParse(period);
  if (!parsed.success) return `--period: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
  return { period: parsed.data, json };
}

/**
 * `npm run reconcile -- --period YYYY-MM [--json]` against the server's database (DATABASE_URL,
 * else LEDGERDESK_SERVER_DATA or .data/server). Prints matched, suggested, opened, updated and
 * closed counts. Exit 0 when the run is recorded; 1 when it is recorded but some discrepancies
 * are in a currency an exception cannot carry yet (counted as skipped); 2 when the command line
 * or the database is wrong.
 */
async function main(): Promise<number> {
  const args = parseReconcileArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    return 2;
  }
  const runBy = process.env.LEDGERDESK_RUN_BY || `cli:${userInfo().username}`;
  const db = await openDatabaseFromEnv();
  try {
    await migrate(db);
    const run = await runReconciliation(db, { period: args.period, runBy, actorId: null });
    // Number the feed rows now, so desks see the changes without waiting for a server's pass.
    await sequencePass(db);
    if (args.json) console.log(JSON.stringify(run));
    else
      console.log(
        `reconciled ${run.period} (run ${run.id}): matched ${run.matched}, suggested ${run.suggested}, ` +
          `opened ${run.opened}, updated ${run.updated}, closed ${run.closed}` +
          (run.skipped > 0 ? `; ${run.skipped} skipped (currency not supported by exceptions yet)` : ''),
      );
    return run.skipped > 0 ? 1 : 0;
  } finally {
    await db.close();
  }
}

exitWith(main);
