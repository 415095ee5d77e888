import { startPostgresCluster, type PostgresCluster } from '@scripts/postgres-cluster';
import { databaseTargets, type FreshDatabase } from './databases';

/**
 * A real PostgreSQL for tests that need one (several server processes on one database):
 * DATABASE_URL when set, else a throwaway cluster from the Debian binaries, else null (the test
 * skips and says why).
 */
export interface RealPostgres {
  fresh(): Promise<FreshDatabase & { url: string }>;
  stop(): void;
}

export const NO_POSTGRES =
  'no real PostgreSQL: set DATABASE_URL or install the postgresql package (Debian binaries) to run this test';

export async function realPostgres(): Promise<RealPostgres | null> {
  let cluster: PostgresCluster | null = null;
  if (!process.env.DATABASE_URL) {
    cluster = await startPostgresCluster();
    if (!cluster) return null;
  }
  const base = process.env.DATABASE_URL ?? cluster?.url;
  if (!base) return null;
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = base;
  const target = databaseTargets().find((t) => t.kind === 'postgres');
  if (previous === undefined) delete process.env.DATABASE_URL;
  if (!target) return null;
  return {
    async fresh() {
      const fresh = await target.fresh();
      const url = fresh.options.databaseUrl;
      if (!url) throw new Error('postgres target gave no URL');
      return { ...fresh, url };
    },
    stop: () => cluster?.stop(),
  };
}
