import type { Migration } from './migration';

export const migration: Migration = {
  version: 4,
  name: 'SOP module cache, checklist drafts',
  up(db) {
    db.exec(`
        -- Published SOP module versions as the server sent them (JSON), so checklists work offline.
        CREATE TABLE sop_modules (
          id TEXT NOT NULL,
          version TEXT NOT NULL,
          content TEXT NOT NULL,
          PRIMARY KEY (id, version)
        ) WITHOUT ROWID;

        -- The checklist an operator is filling in, autosaved on every answer; the resolve reads it
        -- and sends it with the result. Pinned to the module version of its first save.
        CREATE TABLE checklists (
          user_id TEXT NOT NULL,
          exception_id TEXT NOT NULL,
          sop_id TEXT NOT NULL,
          sop_version TEXT NOT NULL,
          answers TEXT NOT NULL,
          active_ms INTEGER NOT NULL DEFAULT 0,
          step_ms TEXT NOT NULL DEFAULT '{}',
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (user_id, exception_id)
        ) WITHOUT ROWID;

        -- The workspace lists an item's related exceptions (same partner account).
        CREATE INDEX exception_docs_partner ON exception_docs (partner_account_id);
      `);
  },
};
