import type Database from 'better-sqlite3';

/**
 * Numbered migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records the last one applied. A migration, once shipped, is never edited: add the next one.
 * From version 7 on a migration only adds (tables, columns, indexes): desks run older versions
 * for days. test/integration/additive-migrations.test.ts runs the chain and checks.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
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
  {
    version: 7,
    name: 'search index, filter and sort indexes',
    up(db) {
      // The search text gains the partner invoice id (operators search by it). Lower-cased by
      // JavaScript, as exception-row.ts does for new rows, so old and new rows compare alike.
      db.function('ld_lower', { deterministic: true }, (s: unknown) => String(s).toLowerCase());
      db.exec(`
        UPDATE exceptions SET search_text = search_text || char(31) ||
          ld_lower(coalesce((SELECT d.partner_invoice_id FROM exception_docs d WHERE d.rid = exceptions.rid), ''));

        -- Free-text search: a trigram index over exceptions.search_text, so any substring of 3+
        -- characters (a partial id, account or invoice) is found without reading every row. The
        -- text is stored once, in exceptions (external content); case_sensitive because it is
        -- already lower-cased, like the query. detail=none keeps no positions (half the build
        -- time): a match only proposes rows, which the query then checks with instr().
        CREATE VIRTUAL TABLE exception_search USING fts5(
          search_text, content = 'exceptions', content_rowid = 'rid',
          tokenize = 'trigram case_sensitive 1', detail = none, columnsize = 0
        );
        CREATE TRIGGER exceptions_search_insert AFTER INSERT ON exceptions BEGIN
          INSERT INTO exception_search (rowid, search_text) VALUES (new.rid, new.search_text);
        END;
        CREATE TRIGGER exceptions_search_delete AFTER DELETE ON exceptions BEGIN
          INSERT INTO exception_search (exception_search, rowid, search_text)
            VALUES ('delete', old.rid, old.search_text);
        END;
        CREATE TRIGGER exceptions_search_update AFTER UPDATE OF search_text ON exceptions
          WHEN old.search_text IS NOT new.search_text BEGIN
          INSERT INTO exception_search (exception_search, rowid, search_text)
            VALUES ('delete', old.rid, old.search_text);
          INSERT INTO exception_search (rowid, search_text) VALUES (new.rid, new.search_text);
        END;
        INSERT INTO exception_search (exception_search) VALUES ('rebuild');

        -- Every sort of the queue toolbar gets an index in its order, so a first page stops after
        -- its rows instead of sorting every match; each carries the filter columns (status, type,
        -- channel) and id, so the rows it skips are judged from the index alone, never read.
        -- (The priority order has exceptions_queue, and exceptions_status/type_queue per filter.)
        CREATE INDEX exceptions_sla_sort ON exceptions (sla_due, id, status, type, channel);
        CREATE INDEX exceptions_opened_sort ON exceptions (opened_at, id, status, type, channel);
        CREATE INDEX exceptions_variance_sort ON exceptions (variance_sort_key, id, status, type, channel);
        CREATE INDEX exceptions_updated_sort ON exceptions (updated_at, id, status, type, channel);
        -- Totals and status counts under any filter (an id prefix included), and the rows of a
        -- narrow filter for a sort to order: small, so even a full scan of it is cheap.
        CREATE INDEX exceptions_filters ON exceptions (status, type, channel, id);
        PRAGMA analysis_limit = 1000;
        ANALYZE exceptions;
      `);
    },
  },
  {
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
  },
  {
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
  },
  {
    version: 10,
    name: 'search parties: customer, account and agreement text indexed once',
    up(db) {
      // Lower-cased by JavaScript, as exception-row.ts does for new rows (see migration 7).
      db.function('ld_lower', { deterministic: true }, (s: unknown) => String(s).toLowerCase());
      db.exec(`
        -- A row's customer name, customer id, partner account and agreement repeat across
        -- thousands of rows (about 5,000 distinct sets at 100k rows): they are stored and
        -- trigram-indexed once per distinct set here, and a row names its set (exceptions.party).
        -- exceptions.search_text keeps only what is the row's own (id, invoice id), so the
        -- per-row trigram index (exception_search) holds a fifth of the text it did.
        -- Insert-only: a party's text never changes, so a row's party id always means its text.
        CREATE TABLE search_parties (
          id INTEGER PRIMARY KEY,
          text TEXT NOT NULL UNIQUE
        );
        CREATE VIRTUAL TABLE party_search USING fts5(
          text, content = 'search_parties', content_rowid = 'id',
          tokenize = 'trigram case_sensitive 1', detail = none, columnsize = 0
        );
        CREATE TRIGGER search_parties_insert AFTER INSERT ON search_parties BEGIN
          INSERT INTO party_search (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER search_parties_delete AFTER DELETE ON search_parties BEGIN
          INSERT INTO party_search (party_search, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        ALTER TABLE exceptions ADD COLUMN party INTEGER;

        INSERT OR IGNORE INTO search_parties (text)
          SELECT ld_lower(customer_name || char(31) || customer_id || char(31) || partner_account_id
            || char(31) || agreement_id) FROM exception_docs ORDER BY rid;
        -- The per-row index is rebuilt once below rather than row by row by its trigger.
        DROP TRIGGER exceptions_search_update;
        UPDATE exceptions SET
          party = (SELECT p.id FROM exception_docs d JOIN search_parties p
            ON p.text = ld_lower(d.customer_name || char(31) || d.customer_id || char(31)
              || d.partner_account_id || char(31) || d.agreement_id)
            WHERE d.rid = exceptions.rid),
          search_text = ld_lower(id || char(31) || coalesce((SELECT d.partner_invoice_id
            FROM exception_docs d WHERE d.rid = exceptions.rid), ''));
        CREATE TRIGGER exceptions_search_update AFTER UPDATE OF search_text ON exceptions
          WHEN old.search_text IS NOT new.search_text BEGIN
          INSERT INTO exception_search (exception_search, rowid, search_text)
            VALUES ('delete', old.rid, old.search_text);
          INSERT INTO exception_search (rowid, search_text) VALUES (new.rid, new.search_text);
        END;
        INSERT INTO exception_search (exception_search) VALUES ('rebuild');

        -- The rows of the parties a search matched, with the filter columns: a broad search
        -- ("cust-1", every row) is counted from this index alone, under any filter.
        CREATE INDEX exceptions_party ON exceptions (party, status, type, channel);
        ANALYZE exceptions;
      `);
    },
  },
  {
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
  },
  {
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
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export class StoreTooNewError extends Error {
  constructor(found: number) {
    super(
      `the local database has schema version ${found}, newer than this app knows (${LATEST_SCHEMA_VERSION}); update the app`,
    );
    this.name = 'StoreTooNewError';
  }
}

/** Applies every migration above the file's `user_version`; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) throw new StoreTooNewError(current);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    // user_version is written inside the same transaction, so a crash leaves either the old
    // schema with the old number or the new schema with the new one.
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
