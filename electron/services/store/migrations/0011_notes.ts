import type { Migration } from './migration';

export const migration: Migration = {
  version: 11,
  name: 'notes on items',
  up(db) {
    db.exec(`
        -- An item's note thread as this desk knows it: the notes written here (kept at once, so
        -- they show before the push and offline) and the server's copies (fetched on open and
        -- kept, so they show offline after). id is the note's mutation id on both sides.
        -- Whether a note written here has reached the server is read from the outbox.
        CREATE TABLE notes (
          id TEXT PRIMARY KEY,
          exception_id TEXT NOT NULL,
          author_id TEXT NOT NULL,
          author_name TEXT,
          at TEXT NOT NULL,
          text TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX notes_exception ON notes (exception_id, at);
        -- The lead who returned an item, by name (get-next says it since issue 11): the callout
        -- names a person, not a user id. Null from an older server; the callout falls back.
        ALTER TABLE leases ADD COLUMN returned_by_name TEXT;
      `);
  },
};
