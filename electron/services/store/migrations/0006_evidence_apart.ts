import type { Migration } from './migration';

export const migration: Migration = {
  version: 6,
  name: 'evidence apart from the synced record',
  up(db) {
    db.exec(`
        -- The feed no longer carries evidence (most of a record's bytes); it arrives with a lease
        -- or when an item is opened online, and is kept here. No row: not on this computer.
        CREATE TABLE exception_evidence (
          rid INTEGER PRIMARY KEY REFERENCES exceptions (rid) ON DELETE CASCADE,
          evidence TEXT NOT NULL
        );
        INSERT INTO exception_evidence (rid, evidence) SELECT rid, evidence FROM exception_docs;
        ALTER TABLE exception_docs DROP COLUMN evidence;
      `);
  },
};
