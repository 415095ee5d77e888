import { openDatabase } from '../db/open';
import { verifyAuditChain } from './verify';

/**
 * `npm run audit:verify`: checks the audit hash chain of the database the server would use
 * (DATABASE_URL, else the PGlite folder LEDGERDESK_SERVER_DATA or .data/server). Exit 0 when
 * intact; exit 1 naming the first broken row.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const db = await openDatabase(
    databaseUrl ? { databaseUrl } : { pgliteDir: process.env.LEDGERDESK_SERVER_DATA || '.data/server' },
  );
  try {
    const result = await verifyAuditChain(db);
    if (result.ok) {
      console.log(
        `audit chain intact: ${result.rows} rows sealed${result.pending ? `, ${result.pending} waiting for the sequencer` : ''}`,
      );
      process.exitCode = 0;
    } else {
      console.error(
        `audit chain broken at row ${result.brokenId}: ${result.reason} (${result.rows} rows verified before it)`,
      );
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
