import type { Migration } from './migrations';

/**
 * Migrations 1-6, from before migrations only added: some rebuild or drop tables and columns
 * (3 turns the summary JSON into columns, 6 moves evidence to its own table). Shipped, so never
 * edited; `migrations.ts` runs them first.
 */
export const REWRITING_MIGRATIONS: readonly Migration[] = [
  {
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
  },
  {
    version: 2,
    name: 'leases, conflicts, outbox exception id',
    up(db) {
      db.exec(`
        -- The leases this install holds for offline work (the server is the authority; this is
        -- the copy get-next reads when the link is down). state: held (leased), working (started),
        -- done (resolved or skipped here; the result may still wait in the outbox), lost (the
        -- server took it back; lost_reason says why). The queue order comes from the exception
        -- row (priority, SLA), joined at read time, so a server-side change of priority counts.
        CREATE TABLE leases (
          lease_id TEXT PRIMARY KEY,
          exception_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          expires_at INTEGER NOT NULL,
          state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'working', 'done', 'lost')),
          lost_reason TEXT,
          acquired_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX leases_user_state ON leases (user_id, state);
        CREATE INDEX leases_exception ON leases (exception_id);

        -- Results the server kept as superseded submissions (the lease was lost before the push):
        -- the operator's change exactly as made, with the server's reason. Never deleted by sync.
        CREATE TABLE conflicts (
          mutation_id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL,
          exception_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          reason TEXT NOT NULL,
          body TEXT NOT NULL,
          occurred_at INTEGER NOT NULL,
          at INTEGER NOT NULL
        );
        CREATE INDEX conflicts_user ON conflicts (user_id, at);

        -- Which exception an outbox entry changes: a pulled page re-applies the local effect of
        -- entries the server has not acknowledged yet, so a pull never shows stale server state
        -- over the operator's own unsent work.
        ALTER TABLE outbox ADD COLUMN exception_id TEXT;
        CREATE INDEX outbox_exception ON outbox (exception_id, seq) WHERE exception_id IS NOT NULL;
        CREATE INDEX outbox_user_state ON outbox (user_id, state, seq);
      `);
    },
  },
  {
    version: 3,
    name: 'exception summary as columns',
    up(db) {
      db.exec(`
        -- The summary JSON becomes columns: encoding it was a third of the cost of storing a
        -- record, and a page of summaries is cheaply rebuilt from columns. The narrow row keeps
        -- what it already holds exactly (id, type, status, channel, priority, variance,
        -- version); the ISO times are kept as sent, since the narrow row's epoch milliseconds
        -- would lose an offset's spelling. Evidence stays JSON (partner column order matters).
        CREATE TABLE exception_docs_v3 (
          rid INTEGER PRIMARY KEY REFERENCES exceptions (rid) ON DELETE CASCADE,
          partner_account_id TEXT NOT NULL,
          customer_id TEXT NOT NULL,
          customer_name TEXT NOT NULL,
          agreement_id TEXT NOT NULL,
          offer_id TEXT,
          product_code TEXT NOT NULL,
          dimension TEXT,
          period_start TEXT NOT NULL,
          period_end TEXT NOT NULL,
          partner_invoice_id TEXT,
          payout_id TEXT,
          expected_amount TEXT NOT NULL,
          expected_currency TEXT NOT NULL,
          actual_amount TEXT NOT NULL,
          actual_currency TEXT NOT NULL,
          sla_due_iso TEXT NOT NULL,
          opened_at_iso TEXT NOT NULL,
          updated_at_iso TEXT NOT NULL,
          assignee_id TEXT,
          evidence TEXT NOT NULL
        );
        INSERT INTO exception_docs_v3
        SELECT rid,
          summary ->> '$.partnerAccountId', summary ->> '$.customerId', summary ->> '$.customerName',
          summary ->> '$.agreementId', summary ->> '$.offerId', summary ->> '$.productCode',
          summary ->> '$.dimension', summary ->> '$.periodStart', summary ->> '$.periodEnd',
          summary ->> '$.partnerInvoiceId', summary ->> '$.payoutId',
          summary ->> '$.expected.amount', summary ->> '$.expected.currency',
          summary ->> '$.actual.amount', summary ->> '$.actual.currency',
          summary ->> '$.slaDueAt', summary ->> '$.openedAt', summary ->> '$.updatedAt',
          summary ->> '$.assigneeId', evidence
        FROM exception_docs;
        DROP TABLE exception_docs;
        ALTER TABLE exception_docs_v3 RENAME TO exception_docs;
      `);
    },
  },
  {
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
  },
  {
    version: 5,
    name: 'resolution form drafts',
    up(db) {
      db.exec(`
        -- The resolution form as the operator left it (JSON), saved with the answers.
        ALTER TABLE checklists ADD COLUMN resolution TEXT;
      `);
    },
  },
  {
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
  },
];
