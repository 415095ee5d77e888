import { openDatabase } from './open';
import type { Database } from './types';

/** The server's database as the command-line tools find it: DATABASE_URL, else the PGlite folder. */
export function openDatabaseFromEnv(): Promise<Database> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  return openDatabase(
    databaseUrl ? { databaseUrl } : { pgliteDir: process.env.LEDGERDESK_SERVER_DATA || '.data/server' },
  );
}
