import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, migrate, schemaVersion } from '../../server/src/db/migrate';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../server/src/db/migrations/index';
import { openDatabase } from '../../server/src/db/open';
import type { Database } from '../../server/src/db/types';
import { startServer } from '../../server/src/start';
import { databaseTargets, type FreshDatabase } from './helpers/databases';

const [pglite] = databaseTargets().filter((t) => t.kind === 'pglite');

// One test a migration (a new one is covered by adding it to the index): each applies on its
// predecessor's schema, alone, and is recorded.
describe('server migrations, one at a time (PGlite)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({});
  });
  afterAll(async () => db?.close());

  it.each(MIGRATIONS.map((m, i) => ({ ...m, upTo: MIGRATIONS.slice(0, i + 1) })))(
    'migration $version ($name) applies on $version - 1',
    async ({ version, upTo }) => {
      const result = await migrate(db, upTo);
      expect(result.applied).toEqual([version]);
      expect(await schemaVersion(db)).toBe(version);
    },
  );
});

describe('a database newer than the server (PGlite on disk)', () => {
  let fresh: FreshDatabase;
  const newer = LATEST_SCHEMA_VERSION + 1;

  beforeAll(async () => {
    fresh = await pglite!.fresh({ onDisk: true });
    const db = await openDatabase(fresh.options);
    await migrate(db);
    // What a newer server would have left behind.
    await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      newer,
      'from the future',
    ]);
    await db.close();
  });
  afterAll(async () => fresh?.cleanup());

  it('is refused at start with the versions named', async () => {
    await expect(startServer(fresh.options)).rejects.toThrow(
      `the database has schema version ${newer}, newer than this server knows (${LATEST_SCHEMA_VERSION})`,
    );
  });

  it('is left as it was', async () => {
    const db = await openDatabase(fresh.options);
    try {
      await expect(migrate(db)).rejects.toBeInstanceOf(DatabaseTooNewError);
      expect(await schemaVersion(db)).toBe(newer);
    } finally {
      await db.close();
    }
  });
});
