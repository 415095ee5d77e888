import type { Migration } from './migration';

export const migration: Migration = {
  version: 5,
  name: 'resolution form drafts',
  up(db) {
    db.exec(`
        -- The resolution form as the operator left it (JSON), saved with the answers.
        ALTER TABLE checklists ADD COLUMN resolution TEXT;
      `);
  },
};
