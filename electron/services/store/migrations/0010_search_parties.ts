import type { Migration } from './migration';

export const migration: Migration = {
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
};
