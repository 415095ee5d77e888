import type { Migration } from './migration';

export const migration: Migration = {
  version: 12,
  name: 'variance sorted within its currency',
  up(db) {
    db.exec(`
        -- The variance order groups by currency (never 1,000 JPY against 1,000 USD as numbers);
        -- this index gives that order, both ways, with the filter columns, so a first page reads
        -- no more than its rows. The magnitude-only index it replaces has no reader left, and each
        -- index costs a first sync a build step.
        DROP INDEX IF EXISTS exceptions_variance_sort;
        CREATE INDEX exceptions_currency_variance_sort
          ON exceptions (variance_currency, variance_sort_key DESC, id DESC, status, type, channel);
      `);
  },
};
