import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDemoExceptions } from '@shared/demo/generate';
import type { ExceptionSummary } from '@shared/exception';
import { QUEUE_SORTS, type QueueSort } from '@shared/ipc/channels';
import { exceptionRowParams, varianceSortKey } from '../../electron/services/store/exception-row';
import { openLocalStore, type LocalStore } from '../../electron/services/store/local-store';
import { MIGRATIONS, migrate } from '../../electron/services/store/migrations';
import type { QueueFilter } from '../../electron/services/store/queue-sql';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('search');
afterAll(() => tmp.remove());

// Enough rows for the bulk path (indexes and the search index built once at the end) and for
// filters that keep most rows and filters that keep a handful.
const demo: ExceptionSummary[] = generateDemoExceptions({
  count: 6_000,
  seed: 7,
  now: new Date('2025-06-30T12:00:00Z'),
}).map(({ evidence: _evidence, ...summary }) => summary);

let store: LocalStore;
let fileNo = 0;
beforeEach(() => {
  store = openLocalStore(tmp.path(`search-${(fileNo += 1)}.sqlite`));
});
afterEach(() => store.close());

const page = (q: QueueFilter & { sort?: QueueSort; reverse?: boolean; offset?: number; limit?: number }) =>
  store.exceptions.page({ sort: 'priority_sla', offset: 0, limit: 500, ...q });

/** Every id the queue shows for a search, all pages. */
function searchIds(search: string): string[] {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const p = page({ search, sort: 'sla_due', offset });
    ids.push(...p.rows.map((r) => r.id));
    if (offset + 500 >= p.total) return ids.sort();
  }
}

/**
 * The search as it was before the indexes: a scan of every row's own text (id, invoice) and of
 * its party's text (customer name and id, account, agreement).
 */
function scannedIds(file: string, search: string): string[] {
  const raw = new Database(file, { readonly: true });
  try {
    const text = search.trim().toLowerCase();
    const ids = raw
      .prepare(
        `SELECT e.id FROM exceptions e JOIN search_parties p ON p.id = e.party
         WHERE instr(e.search_text, ?) > 0 OR instr(p.text, ?) > 0`,
      )
      .pluck()
      .all(text, text) as string[];
    return ids.sort();
  } finally {
    raw.close();
  }
}

/** Substrings an operator would type: id tails, name words, account and invoice fragments. */
function typedQueries(records: readonly ExceptionSummary[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < records.length; i += 397) {
    const r = records[i]!;
    out.add(r.id.slice(-4));
    out.add(r.id.toLowerCase());
    out.add(r.customerName.split(' ')[0]!.toUpperCase());
    out.add(r.customerName.slice(3, 11));
    out.add(r.customerId.slice(-3));
    out.add(r.partnerAccountId.slice(1, 8));
    out.add(r.agreementId.slice(-6));
    if (r.partnerInvoiceId) out.add(r.partnerInvoiceId.slice(2, 9));
  }
  return [...out].filter((q) => q.trim().length >= 3);
}

// Text that means something to FTS5's query language (or to LIKE), typed as plain text.
const HOSTILE = [
  '"',
  '"""',
  'a"b',
  'acme"',
  '*',
  'ex-0*',
  'cust AND hill',
  'AND',
  'OR NOT',
  'NEAR(a b)',
  '-00',
  'cust-',
  '^beacon',
  'search_text:cust',
  '(cust)',
  '%',
  '_x_',
  "' OR 1=1 --",
  'a\u0000b',
  'Ünïcödé',
  '🙂🙂🙂',
  'x'.repeat(100),
];

describe('queue search', () => {
  it('finds exactly what a scan of every row finds, for typed and hostile text', () => {
    store.exceptions.upsertMany(demo);
    const queries = [...typedQueries(demo), ...HOSTILE];
    expect(queries.length).toBeGreaterThan(80);
    let found = 0;
    for (const q of queries) {
      const expected = scannedIds(store.file, q);
      expect(searchIds(q), q).toEqual(expected);
      expect(page({ search: q, limit: 1 }).total, q).toBe(expected.length);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(1_000); // the comparison is not all empty results
  });

  it('finds partial ids, invoices, accounts and agreements, in any case', () => {
    store.exceptions.upsertMany([
      makeException(4242, { partnerInvoiceId: 'INV-2025-044806', agreementId: 'MSA-2025-9871' }),
      makeException(1, { partnerAccountId: '247794491146' }),
    ]);
    const ids = (search: string) => page({ search }).rows.map((r) => r.id);
    expect(ids('004242')).toEqual(['EX-004242']);
    expect(ids('ex-0042')).toEqual(['EX-004242']);
    expect(ids('044806')).toEqual(['EX-004242']);
    expect(ids('msa-2025')).toEqual(['EX-004242']);
    expect(ids('  79449 ')).toEqual(['EX-000001']);
    expect(ids('CUSTOMER 1 LTD')).toEqual(['EX-000001']);
  });

  it('finds an exception by its customer name and by its partner invoice number (issue 11 item 10)', () => {
    store.exceptions.upsertMany([
      makeException(1, { customerName: 'Harbour Lights Ltd', partnerInvoiceId: 'INV-77-001' }),
      makeException(2, { customerName: 'Harbour Lights Ltd', partnerInvoiceId: '5500912345' }),
      makeException(3, { customerName: 'Oakmont Dental', partnerInvoiceId: null }),
    ]);
    const ids = (search: string) =>
      page({ search })
        .rows.map((r) => r.id)
        .sort();
    expect(ids('Harbour Lights Ltd')).toEqual(['EX-000001', 'EX-000002']);
    expect(ids('oakmont')).toEqual(['EX-000003']);
    expect(ids('INV-77-001')).toEqual(['EX-000001']);
    expect(ids('0091234')).toEqual(['EX-000002']);
    const counts = store.exceptions.counts({ search: 'harbour' });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('counts and pages a search under filters exactly, for broad and narrow terms', () => {
    store.exceptions.upsertMany(demo);
    const word = demo[10]!.customerName.split(' ')[0]!;
    for (const search of ['cust-', word, demo[20]!.partnerAccountId.slice(2, 8), demo[30]!.id.slice(-4)]) {
      const matched = new Set(scannedIds(store.file, search));
      const filters: QueueFilter[] = [{}, { channels: [demo[10]!.channel] }, { statuses: ['open'] }];
      for (const filter of filters) {
        const kept = demo.filter(
          (r) =>
            matched.has(r.id) &&
            (!filter.channels || filter.channels.includes(r.channel)) &&
            (!filter.statuses || filter.statuses.includes(r.status)),
        );
        const label = `${search} ${JSON.stringify(filter)}`;
        const got = page({ ...filter, search, sort: 'sla_due', limit: 100 });
        expect(got.total, label).toBe(kept.length);
        const expected = kept
          .sort((a, b) => Date.parse(a.slaDueAt) - Date.parse(b.slaDueAt) || (a.id < b.id ? -1 : 1))
          .slice(0, 100)
          .map((r) => r.id);
        expect(
          got.rows.map((r) => r.id),
          label,
        ).toEqual(expected);
        if (!filter.statuses) {
          const counts = store.exceptions.counts({ ...filter, search });
          expect(
            Object.values(counts).reduce((a, b) => a + b, 0),
            label,
          ).toBe(kept.length);
        }
      }
    }
  });

  it('matches 1-2 characters against the start of the id, with or without EX-', () => {
    store.exceptions.upsertMany(
      [7, 42, 150, 1234, 99999].map((n) => makeException(n, { customerName: 'Zz Qq 7' })),
    );
    const ids = (search: string) => page({ search }).rows.map((r) => r.id);
    expect(ids('ex')).toHaveLength(5);
    expect(ids('E')).toHaveLength(5);
    expect(ids('00').sort()).toEqual(['EX-000007', 'EX-000042', 'EX-000150', 'EX-001234']);
    expect(ids('09')).toEqual(['EX-099999']);
    expect(ids('7')).toEqual([]); // no id starts EX-7; the customer name is not searched
    expect(ids('zz')).toEqual([]);
    expect(ids('é"')).toEqual([]);
    expect(store.exceptions.counts({ search: '00' }).open).toBe(
      page({ search: '00', statuses: ['open'] }).total,
    );
  });

  it('follows every write: upserts, renames, deletes, pulled pages and clearing', () => {
    store.exceptions.upsertMany([makeException(1), makeException(2)]);
    const ids = (search: string) => page({ search }).rows.map((r) => r.id);
    expect(ids('customer 1 ltd')).toEqual(['EX-000001']);
    store.exceptions.upsert(makeException(1, { customerName: 'Harbour Lights', version: 2 }));
    expect(ids('customer 1 ltd')).toEqual([]);
    expect(ids('harbour')).toEqual(['EX-000001']);
    // A status change leaves the text (and the index) alone.
    store.exceptions.setLocalStatus('EX-000001', 'in_progress', new Date());
    expect(page({ search: 'harbour', statuses: ['in_progress'] }).total).toBe(1);
    store.applyPulledPage(
      [
        { seq: 1, entity: 'exception', entityId: 'EX-000003', op: 'upsert', data: makeException(3) },
        { seq: 2, entity: 'exception', entityId: 'EX-000001', op: 'delete', data: null },
      ],
      2,
    );
    expect(ids('harbour')).toEqual([]);
    expect(ids('customer 3 ltd')).toEqual(['EX-000003']);
    store.clearPulledData();
    expect(ids('customer')).toEqual([]);
    store.exceptions.upsertMany([makeException(5)]);
    expect(ids('customer')).toEqual(['EX-000005']);
  });

  it('searches during a first sync of many pages, and through the index once it is built', () => {
    expect(store.beginInitialLoad()).toBe(true);
    const changes = demo.slice(0, 1500).map((data, i) => ({
      seq: i + 1,
      entity: 'exception' as const,
      entityId: data.id,
      op: 'upsert' as const,
      data,
    }));
    store.applyPulledPage(changes.slice(0, 1000), 1000);
    const q = demo[10]!.customerName.slice(0, 6);
    expect(searchIds(q)).toEqual(scannedIds(store.file, q));
    store.applyPulledPage(changes.slice(1000), 1500);
    store.endInitialLoad();
    expect(searchIds(q)).toEqual(scannedIds(store.file, q));
    expect(searchIds(q).length).toBeGreaterThan(0);
  });
});

describe('queue filters and sorts', () => {
  const ms = (iso: string) => Date.parse(iso);
  const byId = (a: ExceptionSummary, b: ExceptionSummary) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const ORDER: Record<QueueSort, (a: ExceptionSummary, b: ExceptionSummary) => number> = {
    priority_sla: (a, b) => a.priority - b.priority || ms(a.slaDueAt) - ms(b.slaDueAt) || byId(a, b),
    sla_due: (a, b) => ms(a.slaDueAt) - ms(b.slaDueAt) || byId(a, b),
    opened: (a, b) => ms(a.openedAt) - ms(b.openedAt) || byId(a, b),
    // Within a currency only: the currencies A-Z, the largest magnitude first inside each.
    variance_desc: (a, b) => {
      if (a.variance.currency !== b.variance.currency)
        return a.variance.currency < b.variance.currency ? -1 : 1;
      const ka = varianceSortKey(a.variance.amount);
      const kb = varianceSortKey(b.variance.amount);
      return ka < kb ? 1 : ka > kb ? -1 : -byId(a, b);
    },
    updated: (a, b) => ms(b.updatedAt) - ms(a.updatedAt) || -byId(a, b),
  };
  const matches = (f: QueueFilter, r: ExceptionSummary) =>
    (!f.statuses?.length || f.statuses.includes(r.status)) &&
    (!f.types?.length || f.types.includes(r.type)) &&
    (!f.channels?.length || f.channels.includes(r.channel));

  it('returns the right rows in the right order for every toolbar filter and sort', () => {
    store.exceptions.upsertMany(demo);
    const filters: QueueFilter[] = [
      {},
      { statuses: ['open'] },
      { statuses: ['rework'] },
      { statuses: ['open', 'assigned', 'in_progress'] },
      { types: ['usage_mismatch'] },
      { types: ['tax_variance'] },
      { channels: ['aws'] },
      { channels: ['reseller'] },
      { statuses: ['open'], types: ['tax_variance'], channels: ['aws'] },
      { statuses: ['rework'], types: ['usage_mismatch'] },
      { statuses: ['closed'], channels: ['gcp'], types: ['refund_unmatched'] },
    ];
    for (const filter of filters) {
      const kept = demo.filter((r) => matches(filter, r));
      for (const sort of QUEUE_SORTS) {
        const expected = [...kept].sort(ORDER[sort]).map((r) => r.id);
        for (const offset of [0, 100]) {
          const got = page({ ...filter, sort, offset, limit: 100 });
          const label = `${JSON.stringify(filter)} ${sort} @${offset}`;
          expect(got.total, label).toBe(kept.length);
          expect(
            got.rows.map((r) => r.id),
            label,
          ).toEqual(expected.slice(offset, offset + 100));
        }
      }
      // A header clicked again: the same order backwards, off the same index (the variance's
      // currency groups run Z-A then; amounts are still compared only within a currency).
      for (const sort of QUEUE_SORTS) {
        const backwards = (a: ExceptionSummary, b: ExceptionSummary) => -ORDER[sort](a, b);
        const expected = [...kept].sort(backwards).map((r) => r.id);
        const got = page({ ...filter, sort, reverse: true, offset: 0, limit: 100 });
        expect(
          got.rows.map((r) => r.id),
          `${JSON.stringify(filter)} ${sort} reversed`,
        ).toEqual(expected.slice(0, 100));
      }
      if (!filter.statuses) {
        const counts = store.exceptions.counts(filter);
        for (const status of Object.keys(counts) as (keyof typeof counts)[]) {
          expect(counts[status]).toBe(kept.filter((r) => r.status === status).length);
        }
      }
    }
  });
});

describe('search index on upgrade', () => {
  it('indexes the records of a version-6 store, invoice ids included', () => {
    const file = tmp.path('v6.sqlite');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    migrate(
      raw,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    const records = demo.slice(0, 2000);
    const row = raw.prepare(
      `INSERT INTO exceptions (id, type, status, channel, priority, sla_due, opened_at, updated_at,
         variance_amount, variance_currency, variance_sort_key, version, search_text)
       VALUES (${Array.from({ length: 13 }, () => '?').join(', ')}) RETURNING rid`,
    );
    const docs = raw.prepare(
      `INSERT INTO exception_docs (rid, partner_account_id, customer_id, customer_name, agreement_id,
         product_code, period_start, period_end, partner_invoice_id, expected_amount,
         expected_currency, actual_amount, actual_currency, sla_due_iso, opened_at_iso, updated_at_iso)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    raw.transaction(() => {
      for (const r of records) {
        const params = exceptionRowParams(r);
        // Version 6's search text: no invoice id.
        params[12] =
          `${r.id}\u001f${r.customerName}\u001f${r.customerId}\u001f${r.partnerAccountId}\u001f${r.agreementId}`.toLowerCase();
        const { rid } = row.get(...params) as { rid: number };
        docs.run(
          rid,
          r.partnerAccountId,
          r.customerId,
          r.customerName,
          r.agreementId,
          r.productCode,
          r.periodStart,
          r.periodEnd,
          r.partnerInvoiceId,
          r.expected.amount,
          r.expected.currency,
          r.actual.amount,
          r.actual.currency,
          r.slaDueAt,
          r.openedAt,
          r.updatedAt,
        );
      }
    })();
    raw.close();

    store.close();
    store = openLocalStore(file);
    const invoiced = records.find((r) => r.partnerInvoiceId)!;
    expect(searchIds(invoiced.partnerInvoiceId!)).toContain(invoiced.id);
    for (const q of typedQueries(records)) expect(searchIds(q), q).toEqual(scannedIds(file, q));
    // The upgraded text is what a fresh write stores.
    store.exceptions.upsert(invoiced);
    expect(scannedIds(file, invoiced.partnerInvoiceId!)).toContain(invoiced.id);
  });
});
