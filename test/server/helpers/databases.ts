import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where a test's fresh, empty database lives; pass `options` to startServer or openDatabase. */
export interface FreshDatabase {
  options: { databaseUrl?: string; pgliteDir?: string };
  cleanup(): Promise<void>;
}

export interface DatabaseTarget {
  kind: 'pglite' | 'postgres';
  /** A new empty database; `onDisk` asks PGlite for a temp folder so it can be reopened. */
  fresh(opts?: { onDisk?: boolean }): Promise<FreshDatabase>;
}

const pgliteTarget: DatabaseTarget = {
  kind: 'pglite',
  async fresh({ onDisk = false } = {}) {
    if (!onDisk) return { options: {}, cleanup: async () => undefined };
    const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-pglite-'));
    return {
      options: { pgliteDir: dir },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

async function withAdmin<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let counter = 0;

function postgresTarget(baseUrl: string): DatabaseTarget {
  return {
    kind: 'postgres',
    async fresh() {
      // A database per test run (and per fresh() call), dropped afterwards, so runs never share state.
      counter += 1;
      const name = `ledgerdesk_test_${process.pid}_${Date.now().toString(36)}_${counter}`;
      await withAdmin(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return {
        options: { databaseUrl: url.toString() },
        cleanup: async () => {
          await withAdmin(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        },
      };
    },
  };
}

/** PGlite always; a real PostgreSQL as well when DATABASE_URL is set. */
export function databaseTargets(): DatabaseTarget[] {
  const url = process.env.DATABASE_URL;
  return url ? [pgliteTarget, postgresTarget(url)] : [pgliteTarget];
}
