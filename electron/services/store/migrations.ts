import type Database from 'better-sqlite3';
import { REWRITING_MIGRATIONS } from './migrations-rewriting';

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
  ...REWRITING_MIGRATIONS,
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
