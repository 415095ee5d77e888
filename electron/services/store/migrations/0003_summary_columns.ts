import type { Migration } from './migration';

export const migration: Migration = {
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
};
