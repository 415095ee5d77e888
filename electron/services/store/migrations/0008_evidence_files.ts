import type { Migration } from './migration';

export const migration: Migration = {
  version: 8,
  name: 'evidence files',
  up(db) {
    db.exec(`
        -- Files an operator attached, by SHA-256 (never by the name they came with), so a
        -- checklist's evidence is viewable offline and uploads when the link is back. Kept
        -- after sign-out: an unsent result may name them.
        CREATE TABLE evidence_files (
          sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
          type TEXT NOT NULL,
          size INTEGER NOT NULL CHECK (size > 0),
          name TEXT NOT NULL,
          bytes BLOB NOT NULL,
          added_at INTEGER NOT NULL
        );
        -- Which server has accepted which file from which user (each user uploads their own:
        -- the server lets a result name only files its operator uploaded).
        CREATE TABLE evidence_sent (
          sha256 TEXT NOT NULL REFERENCES evidence_files (sha256),
          server TEXT NOT NULL,
          user_id TEXT NOT NULL,
          sent_at INTEGER NOT NULL,
          PRIMARY KEY (sha256, server, user_id)
        ) WITHOUT ROWID;
      `);
  },
};
