import type { Migration } from './migration';

export const migration: Migration = {
  version: 1,
  name: 'exceptions, evidence, settings, outbox',
  up(db) {
    db.exec(`
        -- Two tables for one exception: a narrow row of the columns the queue filters and sorts
        -- on (so scans and indexes stay small), and the wide documents (summary and evidence
        -- JSON) keyed by the same integer, read only for the rows of a page or one record.
        -- Dates are epoch milliseconds (ISO strings with offsets do not sort as text); amounts
        -- stay decimal TEXT (variance_amount, and inside the JSON); variance_sort_key is
        -- |variance| as fixed-width digits (see exception-row.ts), exact for sorting.
        CREATE TABLE exceptions (
          rid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          status TEXT NOT NULL,
          channel TEXT NOT NULL,
          priority INTEGER NOT NULL,
          sla_due INTEGER NOT NULL,
          opened_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          variance_amount TEXT NOT NULL,
          variance_currency TEXT NOT NULL,
          variance_sort_key TEXT NOT NULL,
          version INTEGER NOT NULL,
          search_text TEXT NOT NULL
        );
        -- Indexes serve the default queue order (priority, then SLA) alone and under the filters
        -- operators use most (one status, one type). Other sorts and filters scan the narrow
        -- table, which stays a few MB at 100k rows; every extra index would be paid on each
        -- pulled row.
        CREATE INDEX exceptions_queue ON exceptions (priority, sla_due, id);
        CREATE INDEX exceptions_status_queue ON exceptions (status, priority, sla_due, id);
        CREATE INDEX exceptions_type_queue ON exceptions (type, priority, sla_due, id);

        CREATE TABLE exception_docs (
          rid INTEGER PRIMARY KEY REFERENCES exceptions (rid) ON DELETE CASCADE,
          summary TEXT NOT NULL,
          evidence TEXT NOT NULL
        );

        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Local mutations waiting for the server. seq gives the push order; mutation_id is the
        -- idempotency key the server dedupes on; user_id keeps one operator's work from ever
        -- being pushed under another operator's token on a shared laptop.
        CREATE TABLE outbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          mutation_id TEXT NOT NULL UNIQUE,
          user_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          payload TEXT NOT NULL,
          state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'sending', 'applied', 'rejected', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          next_attempt_at INTEGER,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX outbox_state ON outbox (state, seq);
      `);
  },
};
