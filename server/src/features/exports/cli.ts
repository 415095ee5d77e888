import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { exportKindSchema, exportQuerySchema, EXPORT_KINDS } from '@shared/exports/exports';
import { migrate } from '../../db/migrate';
import { openDatabase } from '../../db/open';
import { exportFile } from './export-file';

const USAGE = `usage: npm run export -- KIND --format xlsx|csv --out FILE [--from DAY] [--to DAY] [--channel C]
  [--partner P] [--team T] [--operator ID] [--filter JSON]
kinds: ${EXPORT_KINDS.join(', ')}`;

/**
 * `npm run export` against the server's database (DATABASE_URL, else the PGlite folder
 * LEDGERDESK_SERVER_DATA or .data/server): the same files, filters and audit row as
 * GET /api/exports/:kind. Exit 0 written, 2 when the command line or the database is wrong.
 */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        channel: { type: 'string' },
        partner: { type: 'string' },
        team: { type: 'string' },
        operator: { type: 'string' },
        filter: { type: 'string' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { out, ...filters } = parsed.values;
  const kind = exportKindSchema.safeParse(parsed.positionals[0]);
  const query = exportQuerySchema.safeParse(filters);
  if (!kind.success || parsed.positionals.length !== 1 || !out || !query.success) {
    const why = !kind.success
      ? 'KIND must be one of the kinds below'
      : !out
        ? '--out FILE is required'
        : query.success
          ? 'exactly one KIND'
          : query.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
    console.error(`${why}\n${USAGE}`);
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const db = await openDatabase(
    databaseUrl ? { databaseUrl } : { pgliteDir: process.env.LEDGERDESK_SERVER_DATA || '.data/server' },
  );
  try {
    await migrate(db);
    const file = await exportFile(db, `cli:${userInfo().username}`, kind.data, query.data);
    writeFileSync(out, file.bytes);
    console.log(`${out}: ${file.rows} rows (${kind.data}, ${query.data.format})`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
