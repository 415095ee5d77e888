import Decimal from 'decimal.js';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS, formatByName } from '@shared/ingest/format-registry';
import type { FormatSpec } from '@shared/ingest/format-spec';
import type { ImportSummary } from '@shared/ingest/summary';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import type { Database, Queryable } from '../../server/src/db/types';
import { importFile } from '../../server/src/features/ingest/import-file';
import { STAGING_TABLES } from '../../server/src/features/ingest/staging-tables';
import { fixtureFile, fixtureTable, type Medium, toCsv } from '../support/ingest-fixtures';
import { databaseTargets, type FreshDatabase } from './helpers/databases';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const PAYMENTS_HEADER = 'paymentID,paymentDate,totalPayment,currency';

async function stagedCount(db: Queryable): Promise<number> {
  let total = 0;
  for (const { table } of Object.values(STAGING_TABLES)) {
    const rows = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    total += Number(rows[0]?.n ?? 0);
  }
  const batches = await db.query<{ n: string }>('SELECT count(*) AS n FROM ingest_batches');
  return total * 1000 + Number(batches[0]?.n ?? 0);
}

/** The staging columns must hold the canonical values exactly (numeric compared as decimals). */
function expectStagedEqual(
  spec: FormatSpec,
  dbRow: Record<string, unknown>,
  expected: Record<string, string | null>,
): void {
  const want = spec.toStaging(expected);
  for (const [column, type] of STAGING_TABLES[spec.kind].columns) {
    const got = dbRow[column];
    const exp = want[column] ?? null;
    const where = `${spec.name} row ${String(dbRow.row_number)} ${column}`;
    if (exp === null) {
      expect(got, where).toBeNull();
    } else if (type === 'numeric') {
      expect(typeof got, where).toBe('string');
      expect(new Decimal(got as string).eq(exp), `${where}: ${String(got)} vs ${exp}`).toBe(true);
    } else if (type === 'timestamptz') {
      expect((got as Date).getTime(), where).toBe(Date.parse(exp));
    } else {
      expect(got, where).toBe(exp);
    }
  }
}

describe.each(databaseTargets())('importing partner and internal files on $kind', (target) => {
  let fresh: FreshDatabase;
  let db: Database;
  const run = (
    fileName: string,
    bytes: Uint8Array,
    extra: { format?: string; dryRun?: boolean } = {},
  ): Promise<ImportSummary> => importFile(db, { fileName, bytes, importedBy: 'test:lead1', ...extra });

  beforeAll(async () => {
    fresh = await target.fresh();
    db = await openDatabase(fresh.options);
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await fresh.cleanup();
  });

  // Acceptance 1: every format, CSV and xlsx, with every messy case, imports exactly.
  const cases = FORMATS.flatMap((f) => (['csv', 'xlsx'] as Medium[]).map((m) => [f.name, m] as const));
  it.each(cases)('%s as %s imports every row with its exact canonical values', async (name, medium) => {
    const spec = formatByName(name) as FormatSpec;
    const file = fixtureFile(spec, medium);
    const summary = await run(file.fileName, file.bytes);
    expect(summary.problems).toEqual([]);
    expect(summary).toMatchObject({ outcome: 'imported', format: name, rows: file.expected.length });
    const table = STAGING_TABLES[spec.kind].table;
    const rows = await db.query<Record<string, unknown>>(
      `SELECT * FROM ${table} WHERE batch_id = $1 ORDER BY row_number`,
      [summary.batchId],
    );
    expect(rows.map((r) => r.raw)).toEqual(file.expected);
    // Row numbers are the spreadsheet's: the header is row 1, data from row 2.
    expect(rows.map((r) => r.row_number)).toEqual(file.expected.map((_, i) => i + 2));
    rows.forEach((r, i) => expectStagedEqual(spec, r, file.expected[i] ?? {}));
  });

  it('records the batch with file name, SHA-256, format, row count, who and when', async () => {
    const file = fixtureFile(formatByName('bank-statement') as FormatSpec, 'csv', 4);
    const bytes = new Uint8Array([...file.bytes, ...enc('\r\n')]); // different bytes from the fixture test's
    const summary = await run('statements/march.csv', bytes);
    const batch = (
      await db.query<Record<string, unknown>>('SELECT * FROM ingest_batches WHERE id = $1', [summary.batchId])
    )[0];
    expect(batch).toMatchObject({
      file_name: 'statements/march.csv',
      sha256: summary.sha256,
      format: 'bank-statement',
      record_kind: 'bank_line',
      row_count: 4,
      imported_by: 'test:lead1',
    });
    expect(batch?.imported_at).toBeInstanceOf(Date);
  });

  it('changes nothing when the same bytes come in again, under any name', async () => {
    const file = fixtureFile(formatByName('azure-payments') as FormatSpec, 'csv', 5);
    const bytes = new Uint8Array([...file.bytes, ...enc('\r\n\r\n')]);
    const first = await run('payments.csv', bytes);
    expect(first.outcome).toBe('imported');
    const before = await stagedCount(db);
    const again = await run('copy-of-payments.csv', bytes);
    expect(again).toMatchObject({ outcome: 'already_imported', batchId: first.batchId, rows: 5 });
    expect(again.previous).toMatchObject({ fileName: 'payments.csv', importedBy: 'test:lead1' });
    expect(await stagedCount(db)).toBe(before);
  });

  it('a dry run validates and reports, and stores nothing', async () => {
    const before = await stagedCount(db);
    const file = fixtureFile(formatByName('internal-usage') as FormatSpec, 'xlsx', 3);
    const summary = await run('usage-dry.xlsx', file.bytes, { dryRun: true });
    expect(summary).toMatchObject({ outcome: 'valid', format: 'internal-usage', rows: 3, batchId: null });
    expect(await stagedCount(db)).toBe(before);
  });

  it('keeps every version of an AWS billing event and serves the latest by update_date', async () => {
    // The feed's full header; only the columns this test is about are filled.
    const headers = (formatByName('aws-billing-events') as FormatSpec).columns.map((c) => c.header);
    const line = (values: Record<string, string>): string => headers.map((h) => values[h] ?? '').join(',');
    const event = (id: string, type: string, amount: string, updated: string): string =>
      line({
        billing_event_id: id,
        action: 'INVOICED',
        transaction_type: type,
        amount,
        currency: 'USD',
        update_date: updated,
        end_user_account_id: '111122223333',
      });
    const csv = [
      headers.join(','),
      event('BE-1', 'SELLER_REV_SHARE', '100.00', '2026-03-01T00:00:00Z'),
      event('BE-1', 'SELLER_REV_SHARE', '90.00', '2026-03-05T00:00:00Z'),
      event('BE-1', 'SELLER_REV_SHARE', '95.00', '2026-03-03T00:00:00Z'),
      event('BE-2', 'AWS_REV_SHARE', '(3.00)', '2026-03-01T00:00:00Z'),
    ].join('\n');
    const summary = await run('billing_event_2026-03-05.csv', enc(csv));
    expect(summary).toMatchObject({ outcome: 'imported', format: 'aws-billing-events', rows: 4 });
    const current = await db.query<{ billing_event_id: string; amount: string }>(
      `SELECT billing_event_id, amount FROM ingest_billing_events_current
       WHERE billing_event_id IN ('BE-1', 'BE-2') ORDER BY billing_event_id`,
    );
    expect(current).toEqual([
      { billing_event_id: 'BE-1', amount: '90.00' },
      { billing_event_id: 'BE-2', amount: '-3.00' },
    ]);
  });

  it('reads an xlsx numeric cell as the decimal Excel shows, never a float artefact', async () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['usage_id', 'customer_id', 'sku', 'dimension', 'usage_start', 'usage_end', 'quantity'],
      ['U-1', 'C-1', 'SKU-1', 'tokens', '2026-03-01T00:00:00Z', '2026-03-01T01:00:00Z', 0.1 + 0.2],
      ['U-2', 'C-1', 'SKU-1', 'tokens', '2026-03-01T01:00:00Z', '2026-03-01T02:00:00Z', 123456.000001],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'usage');
    const bytes = new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const summary = await run('usage-floats.xlsx', bytes);
    expect(summary.outcome).toBe('imported');
    const rows = await db.query<{ quantity: string }>(
      'SELECT quantity FROM ingest_usage_lines WHERE batch_id = $1 ORDER BY row_number',
      [summary.batchId],
    );
    expect(rows.map((r) => r.quantity)).toEqual(['0.3', '123456.000001']);
  });

  describe('rejects a malformed file whole, naming row, column and what was expected', () => {
    const rejects = async (fileName: string, bytes: Uint8Array, format?: string) => {
      const before = await stagedCount(db);
      const s = await run(fileName, bytes, format ? { format } : {});
      expect(s.outcome).toBe('rejected');
      expect(s.batchId).toBeNull();
      expect(await stagedCount(db)).toBe(before);
      return s.problems.map((p) => `${p.file}:${p.row}:${p.column}: ${p.message}`);
    };

    it('a repeated header row, with its row number', async () => {
      const csv = `${PAYMENTS_HEADER}\nP-1,2026-03-01,10.00,USD\n${PAYMENTS_HEADER}\nP-2,2026-03-02,11.00,USD\n`;
      expect(await rejects('joined.csv', enc(csv))).toEqual([
        'joined.csv:3:-: the row repeats the header row; expected data (were two files joined together?)',
      ]);
    });

    it('a JPY amount with decimals and a KWD amount with 4', async () => {
      const csv = `${PAYMENTS_HEADER}\nP-1,2026-03-01,"1,234.5",JPY\nP-2,2026-03-01,1.2345,KWD\nP-3,2026-03-01,1.234,KWD\n`;
      expect(await rejects('precision.csv', enc(csv))).toEqual([
        'precision.csv:2:totalPayment: "1234.5" has 1 decimals; expected at most 0 for JPY',
        'precision.csv:3:totalPayment: "1.2345" has 4 decimals; expected at most 3 for KWD',
      ]);
    });

    it('bad values in several rows, all listed; the good rows are not stored either', async () => {
      const csv = `${PAYMENTS_HEADER}\r\nP-1,2026-03-01,10.00,USD\r\nP-2,2026-02-30,1.2.3,XXX\r\nP-3,,10,USD\r\n`;
      expect(await rejects('bad-values.csv', enc(csv))).toEqual([
        'bad-values.csv:3:paymentDate: "2026-02-30" is not valid; expected a date as YYYY-MM-DD',
        'bad-values.csv:3:totalPayment: "1.2.3" is not valid; expected a decimal number such as 1234.56, 1,234.56, -12.5 or (12.50)',
        'bad-values.csv:3:currency: "XXX" is not valid; expected an ISO 4217 currency code such as USD, JPY or KWD',
        'bad-values.csv:4:paymentDate: is blank; expected a date as YYYY-MM-DD',
      ]);
    });

    it('a quoted field never closed, and a stray quote after a closing one', async () => {
      expect(await rejects('open-quote.csv', enc(`${PAYMENTS_HEADER}\nP-1,2026-03-01,"10.00,USD\n`))).toEqual(
        [
          'open-quote.csv:2:-: a quoted field is never closed; expected a closing quote before the end of the file',
        ],
      );
      const stray = await rejects('stray.csv', enc(`${PAYMENTS_HEADER}\nP-1,"2026-03-01"x,10.00,USD\n`));
      expect(stray[0]).toMatch(/^stray\.csv:2:-: a closing quote is followed by "x"/);
    });

    it('a blank row between data rows, and a row with more cells than the header', async () => {
      const csv = `${PAYMENTS_HEADER}\nP-1,2026-03-01,10.00,USD\n,,,\nP-2,2026-03-01,10.00,USD,extra\n\n\n`;
      expect(await rejects('gaps.csv', enc(csv))).toEqual([
        'gaps.csv:3:-: the row is blank between data rows; expected data (blank rows may only trail the data)',
        'gaps.csv:4:-: the row has 5 cells; expected at most 4, one per header column',
      ]);
    });

    it('a header that fits no format, one with a duplicate column, and a forced format lacking columns', async () => {
      const none = await rejects(
        'unknown.csv',
        enc('paymentID,paymentDate,totalPaymnt,currency\nP,2026-03-01,1,USD\n'),
      );
      expect(none).toEqual([
        'unknown.csv:1:-: the header row matches no known format; expected the columns of the closest, azure-payments, which also needs: totalPayment',
      ]);
      expect(
        await rejects('dup.csv', enc('paymentID,paymentDate,totalPayment,currency,PaymentId\n')),
      ).toEqual([
        'dup.csv:1:PaymentId: the column appears twice in the header row; expected each column once',
      ]);
      expect(
        await rejects('forced.csv', enc(`${PAYMENTS_HEADER}\nP,2026-03-01,1,USD\n`), 'bank-statement'),
      ).toContain(
        'forced.csv:1:account_id: the column is missing from the header row; expected it for bank-statement',
      );
      expect(await rejects('name.csv', enc(`${PAYMENTS_HEADER}\n`), 'sap-export')).toEqual([
        expect.stringMatching(
          /^name\.csv:0:-: unknown format "sap-export"; expected one of aws-billed-revenue, /,
        ),
      ]);
    });

    it('a file that is not UTF-8, an empty file, a broken xlsx and an Excel error cell', async () => {
      expect(await rejects('latin1.csv', new Uint8Array([0x61, 0x2c, 0xe9, 0x0a]))).toEqual([
        'latin1.csv:0:-: the file is not UTF-8 text; expected a UTF-8 CSV or an xlsx workbook',
      ]);
      expect(await rejects('empty.csv', new Uint8Array())).toEqual([
        'empty.csv:0:-: the file is empty; expected a header row and data',
      ]);
      const broken = await rejects(
        'broken.xlsx',
        fixtureFile(formatByName('azure-payments') as FormatSpec, 'xlsx').bytes.slice(0, 300),
      );
      expect(broken[0]).toMatch(/^broken\.xlsx:0:-: the file is not a readable xlsx workbook/);
      const sheet = XLSX.utils.aoa_to_sheet([PAYMENTS_HEADER.split(','), ['P-1', '2026-03-01', 1, 'USD']]);
      sheet.C2 = { t: 'e', v: 0x2a, w: '#N/A' };
      const book = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(book, sheet, 'p');
      const bytes = new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
      expect(await rejects('na.xlsx', bytes)).toEqual([
        'na.xlsx:2:-: column C: the cell holds the Excel error #N/A; expected a value',
      ]);
    });

    it('lists the first 50 problems and counts the rest', async () => {
      const bad = Array.from({ length: 1_200 }, (_, i) => `P-${i},2026-03-01,ten,USD`).join('\n');
      const s = await run('all-bad.csv', enc(`${PAYMENTS_HEADER}\n${bad}\n`));
      expect(s.outcome).toBe('rejected');
      expect(s.problems).toHaveLength(50);
      expect(s.problems[49]).toMatchObject({ row: 51, column: 'totalPayment' });
      expect(s.moreProblems).toBe(1_150);
    });

    it('a database failure half-way through the rows leaves neither the batch nor any row', async () => {
      const spec = formatByName('internal-usage') as FormatSpec;
      const table = fixtureTable(spec, 'csv', 6_000); // two INSERT chunks
      const bytes = toCsv(table);
      const before = await stagedCount(db);
      let inserts = 0;
      const failing: Database = {
        ...db,
        transaction: (fn) =>
          db.transaction((tx) =>
            fn({
              exec: (sql) => tx.exec(sql),
              query: (sql, params, opts) => {
                if (sql.includes('INSERT INTO ingest_usage_lines') && ++inserts === 2)
                  throw new Error('connection lost (simulated)');
                return tx.query(sql, params, opts);
              },
            }),
          ),
      };
      await expect(importFile(failing, { fileName: 'big.csv', bytes, importedBy: 't' })).rejects.toThrow(
        'connection lost (simulated)',
      );
      expect(inserts).toBe(2);
      expect(await stagedCount(db)).toBe(before);
      // The same file imports cleanly afterwards: the failed attempt left no "already imported" trace.
      expect((await run('big.csv', bytes)).outcome).toBe('imported');
    });
  });
});
