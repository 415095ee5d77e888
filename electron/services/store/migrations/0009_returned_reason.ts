import type { Migration } from './migration';

export const migration: Migration = {
  version: 9,
  name: 'why a lead returned a leased item',
  up(db) {
    db.exec(`
        -- A lead rejected the operator's resolution and the item came back to them: get-next
        -- says so (reason, lead's user id, when; ISO time as sent) for that grant only, so it
        -- belongs to the lease, not to the exception (a later lease of the item has none).
        ALTER TABLE leases ADD COLUMN returned_reason TEXT;
        ALTER TABLE leases ADD COLUMN returned_by TEXT;
        ALTER TABLE leases ADD COLUMN returned_at TEXT;
      `);
  },
};
