import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../electron/services/store/migrations';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('migration-steps');
afterAll(() => tmp.remove());

// One test a migration (a new one is covered by adding it to migrations/index.ts): each applies
// on its predecessor's schema, alone, in its own transaction, and moves user_version to its number.
describe('desktop store migrations, one at a time', () => {
  let db: Database.Database;
  beforeAll(() => {
    db = new Database(tmp.path('steps.sqlite'));
  });
  afterAll(() => db?.close());

  it.each(MIGRATIONS.map((m, i) => ({ version: m.version, name: m.name, upTo: MIGRATIONS.slice(0, i + 1) })))(
    'migration $version ($name) applies on $version - 1',
    ({ version, upTo }) => {
      expect(migrate(db, upTo)).toEqual([version]);
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    },
  );
});
