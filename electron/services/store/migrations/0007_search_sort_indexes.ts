import type { Migration } from './migration';

export const migration: Migration = {
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
};
