import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '@shared/api/sync';
import { abs, compare } from '@shared/money';
import { varianceSortKey } from '../../electron/services/store/exception-row';
import { BULK_LOAD_MIN_ROWS } from '../../electron/services/store/exception-repo';
import { z } from 'zod';
import {
  DEFERRED_INDEXES_KEY,
  openLocalStore,
  type LocalStore,
} from '../../electron/services/store/local-store';
import type { QueueSort } from '@shared/ipc/channels';
import type { ExceptionRecord } from '@shared/exception';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('store');
afterAll(() => tmp.remove());

let store: LocalStore;
let fileNo = 0;
beforeEach(() => {
  store = openLocalStore(tmp.path(`store-${(fileNo += 1)}.sqlite`));
});
afterEach(() => store.close());

const page = (q: Partial<Parameters<LocalStore['exceptions']['page']>[0]> = {}) =>
  store.exceptions.page({ sort: 'priority_sla', offset: 0, limit: 100, ...q });

describe('exception repository', () => {
  it('round-trips a full record, evidence and exact amounts included', () => {
    const record = makeException(7, {
      variance: { amount: '-0.0000000001', currency: 'USD' },
      expected: { amount: '12345678901234567890.1234567891', currency: 'EUR' },
    });
    store.exceptions.upsertMany([record]);
    expect(store.exceptions.get(record.id)).toEqual(record);
    expect(store.exceptions.get('EX-999999')).toBeNull();
  });

  it('keeps evidence apart: a summary from the feed neither brings nor erases it', () => {
    const full = makeException(3);
    const { evidence, ...summary } = full;
    store.exceptions.upsertMany([summary, makeException(4)]);
    expect(store.exceptions.get(full.id)?.evidence).toBeNull();
    expect(store.exceptions.setEvidence(full.id, evidence)).toBe(true);
    expect(store.exceptions.get(full.id)).toEqual(full);
    // A later feed change (status, version) keeps the evidence already here.
    store.exceptions.upsertMany([{ ...summary, status: 'resolved', version: 2 }]);
    expect(store.exceptions.get(full.id)).toEqual({ ...full, status: 'resolved', version: 2 });
    // A lease brings the record with evidence: it replaces what was kept.
    store.exceptions.upsert({ ...full, evidence: [] });
    expect(store.exceptions.get(full.id)?.evidence).toEqual([]);
    expect(store.exceptions.setEvidence('EX-999999', evidence)).toBe(false);
    store.exceptions.remove(full.id);
    expect(store.exceptions.get(full.id)).toBeNull();
  });

  it('replaces a record on a second upsert instead of duplicating it', () => {
    store.exceptions.upsertMany([makeException(1)]);
    store.exceptions.upsertMany([
      makeException(1, { status: 'resolved', version: 2, customerName: 'Renamed Co' }),
    ]);
    expect(store.exceptions.countAll()).toBe(1);
    expect(store.exceptions.get('EX-000001')).toMatchObject({ status: 'resolved', version: 2 });
    expect(page({ search: 'renamed' }).total).toBe(1);
  });

  it('filters by statuses, types, channels and free text, and reports the total', () => {
    store.exceptions.upsertMany(Array.from({ length: 60 }, (_, i) => makeException(i + 1)));
    const open = page({ statuses: ['open'] });
    expect(open.total).toBe(20);
    expect(open.rows.every((r) => r.status === 'open')).toBe(true);

    const combined = page({
      statuses: ['open', 'assigned'],
      channels: ['aws'],
      types: ['usage_mismatch', 'rate_mismatch'],
    });
    for (const r of combined.rows) {
      expect(['open', 'assigned']).toContain(r.status);
      expect(r.channel).toBe('aws');
      expect(['usage_mismatch', 'rate_mismatch']).toContain(r.type);
    }
    expect(combined.total).toBe(combined.rows.length);

    expect(page({ search: 'EX-000042' }).rows.map((r) => r.id)).toEqual(['EX-000042']);
    expect(page({ search: 'customer 3 ltd' }).rows.map((r) => r.customerName)).toEqual(
      expect.arrayContaining(['Customer 3 Ltd']),
    );
    expect(page({ search: 'agr-17' }).rows.map((r) => r.id)).toEqual(['EX-000017']);
    expect(page({ search: '%' }).total).toBe(0);
    expect(page({ statuses: [] }).total).toBe(60);
  });

  it('returns summaries without evidence on a page', () => {
    store.exceptions.upsertMany([makeException(1)]);
    expect(page().rows[0]).not.toHaveProperty('evidence');
  });

  it('sorts by every queue sort, ties broken by id', () => {
    store.exceptions.upsertMany(Array.from({ length: 40 }, (_, i) => makeException(i + 1)));
    const ids = (sort: QueueSort) => page({ sort }).rows;

    const bySla = ids('priority_sla');
    for (let i = 1; i < bySla.length; i += 1) {
      const a = bySla[i - 1]!;
      const b = bySla[i]!;
      expect(a.priority < b.priority || (a.priority === b.priority && a.slaDueAt <= b.slaDueAt)).toBe(true);
    }
    const sla = ids('sla_due').map((r) => Date.parse(r.slaDueAt));
    expect(sla).toEqual([...sla].sort((a, b) => a - b));
    const opened = ids('opened').map((r) => Date.parse(r.openedAt));
    expect(opened).toEqual([...opened].sort((a, b) => a - b));
    const updated = ids('updated').map((r) => Date.parse(r.updatedAt));
    expect(updated).toEqual([...updated].sort((a, b) => b - a));
  });

  it('sorts variance by magnitude exactly, beyond float precision', () => {
    store.exceptions.upsertMany([
      makeException(1, { variance: { amount: '-9007199254740993.0000000001', currency: 'USD' } }),
      makeException(2, { variance: { amount: '9007199254740993', currency: 'USD' } }),
      makeException(3, { variance: { amount: '0.5', currency: 'USD' } }),
      makeException(4, { variance: { amount: '99999999999999999999.9999999999', currency: 'USD' } }),
    ]);
    expect(page({ sort: 'variance_desc' }).rows.map((r) => r.id)).toEqual([
      'EX-000004',
      'EX-000001',
      'EX-000002',
      'EX-000003',
    ]);
  });

  it('sorts variance within each currency, never 1,000 JPY above 900 USD as raw numbers', () => {
    store.exceptions.upsertMany([
      makeException(1, { variance: { amount: '-1000', currency: 'JPY' } }),
      makeException(2, { variance: { amount: '900.00', currency: 'USD' } }),
      makeException(3, { variance: { amount: '50000', currency: 'JPY' } }),
      makeException(4, { variance: { amount: '-12.50', currency: 'USD' } }),
      makeException(5, { variance: { amount: '80.00', currency: 'EUR' } }),
    ]);
    expect(page({ sort: 'variance_desc' }).rows.map((r) => r.id)).toEqual([
      'EX-000005', // EUR
      'EX-000003', // JPY, largest first
      'EX-000001',
      'EX-000002', // USD, largest first
      'EX-000004',
    ]);
    // Clicked again: the same order backwards (off the same index): currencies Z-A, smallest
    // first inside each; still never one currency's amount against another's.
    expect(page({ sort: 'variance_desc', reverse: true }).rows.map((r) => r.id)).toEqual([
      'EX-000004',
      'EX-000002',
      'EX-000001',
      'EX-000003',
      'EX-000005',
    ]);
  });

  it("filters a lead's queue by holder, in the rows, the total and the status counts", () => {
    store.exceptions.upsertMany([
      makeException(1, { assigneeId: 'user-operator1', status: 'assigned' }),
      makeException(2, { assigneeId: 'user-operator2', status: 'assigned' }),
      makeException(3, { assigneeId: 'user-operator1', status: 'in_progress' }),
      makeException(4, { assigneeId: null, status: 'open' }),
    ]);
    const mine = page({ assignees: ['user-operator1'] });
    expect(mine.rows.map((r) => r.id).sort()).toEqual(['EX-000001', 'EX-000003']);
    expect(mine.total).toBe(2);
    const counts = store.exceptions.counts({ assignees: ['user-operator1'] });
    expect(counts.assigned).toBe(1);
    expect(counts.in_progress).toBe(1);
    expect(counts.open).toBe(0);
  });

  it('pages with offset and limit without overlaps or gaps', () => {
    store.exceptions.upsertMany(
      Array.from({ length: 95 }, (_, i) =>
        makeException(i + 1, { priority: 3, slaDueAt: '2025-01-01T00:00:00.000Z' }),
      ),
    );
    const seen: string[] = [];
    for (let offset = 0; offset < 95; offset += 20) {
      const p = page({ offset, limit: 20 });
      expect(p.total).toBe(95);
      seen.push(...p.rows.map((r) => r.id));
    }
    expect(seen).toHaveLength(95);
    expect(new Set(seen).size).toBe(95);
    expect(seen).toEqual([...seen].sort());
  });

  it('counts by status for every status, ignoring any status filter', () => {
    store.exceptions.upsertMany(Array.from({ length: 30 }, (_, i) => makeException(i + 1)));
    const counts = store.exceptions.counts({});
    expect(counts.open).toBe(10);
    expect(counts.assigned).toBe(10);
    expect(counts.in_progress).toBe(10);
    expect(counts.closed).toBe(0);
    expect(Object.keys(counts)).toHaveLength(10);
    const aws = store.exceptions.counts({ channels: ['aws'] });
    expect(Object.values(aws).reduce((a, b) => a + b, 0)).toBe(page({ channels: ['aws'] }).total);
  });

  it('loads a large batch into an empty store with the same results and its indexes rebuilt', () => {
    const records = Array.from({ length: BULK_LOAD_MIN_ROWS + 10 }, (_, i) => makeException(i + 1));
    store.exceptions.upsertMany(records);
    expect(store.exceptions.countAll()).toBe(records.length);
    const plan = store.transaction(() => page({ statuses: ['open'], limit: 5 }));
    expect(plan.total).toBe(records.filter((r) => r.status === 'open').length);
    const expected = records
      .filter((r) => r.status === 'open')
      .sort(
        (a, b) =>
          a.priority - b.priority ||
          Date.parse(a.slaDueAt) - Date.parse(b.slaDueAt) ||
          a.id.localeCompare(b.id),
      )
      .slice(0, 5)
      .map((r) => r.id);
    expect(plan.rows.map((r) => r.id)).toEqual(expected);
    // The load ran under a rollback journal; the file must be back in WAL mode afterwards.
    const raw = new Database(store.file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('orders variance sort keys exactly as shared/money compares magnitudes', () => {
    const amounts = [
      '0',
      '-0.0000000001',
      '12.5',
      '-98765.4321',
      '1234567890.0123456789',
      '-99999999999999999999.9999999999',
      '9007199254740993',
    ];
    for (const a of amounts) {
      for (const b of amounts) {
        const byMoney = compare(abs({ amount: a, currency: 'USD' }), abs({ amount: b, currency: 'USD' }));
        const ka = varianceSortKey(a);
        const kb = varianceSortKey(b);
        expect(ka < kb ? -1 : ka > kb ? 1 : 0).toBe(byMoney);
      }
    }
  });
});

describe('pulled pages', () => {
  const upsert = (n: number, extra: Partial<ReturnType<typeof makeException>> = {}): Change => ({
    seq: n,
    entity: 'exception',
    entityId: makeException(n).id,
    op: 'upsert',
    data: makeException(n, extra),
  });

  it('applies a page and its cursor together, in feed order', () => {
    store.applyPulledPage(
      [
        upsert(1),
        upsert(2),
        { seq: 3, entity: 'exception', entityId: 'EX-000001', op: 'delete', data: null },
      ],
      3,
    );
    expect(store.pullCursor()).toBe(3);
    expect(store.exceptions.get('EX-000001')).toBeNull();
    expect(store.exceptions.get('EX-000002')).not.toBeNull();
  });

  it('keeps neither rows nor cursor from a page that fails half way', () => {
    // A NULL priority violates NOT NULL half way through the page.
    const bad: Change = {
      ...upsert(5),
      op: 'upsert',
      data: { ...makeException(5), priority: null as unknown as ExceptionRecord['priority'] },
    };
    expect(() => store.applyPulledPage([upsert(4), bad], 5)).toThrow();
    expect(store.pullCursor()).toBe(0);
    expect(store.exceptions.countAll()).toBe(0);
  });

  const indexNames = (file: string): string[] => {
    const raw = new Database(file, { readonly: true });
    try {
      return raw
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
        .pluck()
        .all() as string[];
    } finally {
      raw.close();
    }
  };

  it('builds the indexes once after a first sync of many pages, and only into an empty store', () => {
    const before = indexNames(store.file);
    expect(before).toContain('exceptions_status_queue');
    expect(store.beginInitialLoad()).toBe(true);
    // All but the one the offline get-next names.
    expect(indexNames(store.file).filter((n) => n.startsWith('exception'))).toEqual([
      'exceptions_status_queue',
    ]);
    expect(store.beginInitialLoad()).toBe(false);
    store.applyPulledPage([upsert(1), upsert(2)], 2);
    store.applyPulledPage([upsert(3, { status: 'resolved' })], 3);
    store.endInitialLoad();
    expect(indexNames(store.file)).toEqual(before);
    expect(page({ statuses: ['resolved'] }).rows.map((r) => r.id)).toEqual(['EX-000003']);
    // Not empty any more: a later pull keeps its indexes.
    expect(store.beginInitialLoad()).toBe(false);
    expect(indexNames(store.file)).toEqual(before);
  });

  it('builds the deferred indexes at the next open when a first sync was cut off', () => {
    const before = indexNames(store.file);
    expect(store.beginInitialLoad()).toBe(true);
    store.applyPulledPage([upsert(1)], 1);
    store.close();
    store = openLocalStore(store.file);
    expect(indexNames(store.file)).toEqual(before);
    expect(store.pullCursor()).toBe(1);
    expect(store.exceptions.countAll()).toBe(1);
  });

  it('writes a page in slices, storing its cursor only with the last one', () => {
    const changes = [
      ...Array.from({ length: 100 }, (_, i) => upsert(i + 1)),
      { seq: 101, entity: 'exception', entityId: 'EX-000001', op: 'delete', data: null } satisfies Change,
    ];
    // A zero budget stops a slice after its first 16 rows.
    const from = store.applyPulledSlice(changes, 0, 101, 0);
    expect(from).toBe(16);
    expect(store.exceptions.countAll()).toBe(16);
    expect(store.pullCursor()).toBe(0);

    // Cut off here (a crash, a sign-out): the page is pulled again and applied from its start.
    store.close();
    store = openLocalStore(store.file);
    expect(store.exceptions.countAll()).toBe(16);
    let at = 0;
    let slices = 0;
    do {
      at = store.applyPulledSlice(changes, at, 101, 0);
      slices += 1;
    } while (at < changes.length);
    expect(slices).toBe(7);
    expect(store.pullCursor()).toBe(101);
    expect(store.exceptions.countAll()).toBe(99);
    expect(store.exceptions.get('EX-000001')).toBeNull();
  });

  it('builds deferred indexes one step at a time, and the rest at the next open when cut off', () => {
    const before = indexNames(store.file);
    expect(store.beginInitialLoad()).toBe(true);
    store.applyPulledPage([upsert(1), upsert(2)], 2);
    const deferred = before.length - indexNames(store.file).length;
    expect(deferred).toBeGreaterThan(1);
    expect(store.endInitialLoadStep()).toBe(true);
    expect(indexNames(store.file)).toHaveLength(before.length - deferred + 1);
    store.close();
    store = openLocalStore(store.file);
    expect(indexNames(store.file)).toEqual(before);
    expect(store.endInitialLoadStep()).toBe(false);

    store.clearPulledData();
    expect(store.beginInitialLoad()).toBe(true);
    let steps = 0;
    while (store.endInitialLoadStep()) steps += 1;
    // Each index is a step; so are the search index (a step per few thousand rows) and its triggers.
    expect(steps).toBeGreaterThan(deferred);
    expect(indexNames(store.file)).toEqual(before);
    expect(store.settings.get(DEFERRED_INDEXES_KEY, z.unknown())).toBeNull();
  });

  it('forgets pulled data and the cursor on clear', () => {
    store.applyPulledPage([upsert(1)], 1);
    store.clearPulledData();
    expect(store.pullCursor()).toBe(0);
    expect(store.exceptions.countAll()).toBe(0);
  });
});

describe('outbox', () => {
  const start = (n: number) => ({
    kind: 'exception.start' as const,
    exceptionId: `EX-${String(n).padStart(6, '0')}`,
    leaseId: `lease-${n}`,
  });
  const occurredAt = '2025-06-30T12:00:00.000Z';
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  it('hands out pending entries in seq order, per user, and counts them until the server answers', () => {
    const now = 1_000;
    for (const [i, user] of ['u1', 'u1', 'u2'].entries()) {
      store.outbox.enqueue({ mutationId: uuid(i), userId: user, occurredAt, body: start(i), now });
    }
    const due = store.outbox.due('u1', 10);
    expect(due.map((e) => e.mutationId)).toEqual([uuid(0), uuid(1)]);
    expect(due[0]).toMatchObject({ kind: 'exception.start', exceptionId: 'EX-000000', occurredAt });
    store.outbox.markSending(
      due.map((e) => e.seq),
      now,
    );
    expect(store.outbox.counts('u1')).toEqual({ pending: 2, failed: 0, rejected: 0 });
    expect(store.outbox.due('u1', 10)).toEqual([]);
    store.outbox.remove([due[0]!.seq]);
    store.outbox.backToPending([due[1]!.seq], 'offline', now);
    expect(store.outbox.due('u1', 10).map((e) => [e.attempts, e.lastError])).toEqual([[1, 'offline']]);
    store.outbox.markFailed([due[1]!.seq], 'HTTP 400', now);
    expect(store.outbox.counts('u1')).toEqual({ pending: 0, failed: 1, rejected: 0 });
    expect(store.outbox.retryFailed('u1', now)).toBe(1);
    // Back in line at its end (the server applies a desk's changes in seq order), same change.
    const retried = store.outbox.due('u1', 10);
    expect(retried.map((e) => [e.mutationId, e.attempts, e.seq > due[1]!.seq])).toEqual([[uuid(1), 1, true]]);
    store.outbox.markRejected(retried[0]!.seq, 'illegal move', now);
    expect(store.outbox.counts('u1')).toEqual({ pending: 0, failed: 0, rejected: 1 });
    expect(store.outbox.list('u1', 0, 10).items.map((e) => e.state)).toEqual(['rejected']);
  });

  it('returns in-flight entries to pending after a restart', () => {
    const seq = store.outbox.enqueue({
      mutationId: uuid(9),
      userId: 'u',
      occurredAt,
      body: start(9),
      now: 1,
    });
    store.outbox.markSending([seq], 1);
    store.outbox.resetInFlight(2);
    expect(store.outbox.due('u', 10).map((e) => e.state)).toEqual(['pending']);
  });

  it('refuses a duplicate mutation id', () => {
    store.outbox.enqueue({ mutationId: uuid(1), userId: 'u', occurredAt, body: start(1), now: 1 });
    expect(() =>
      store.outbox.enqueue({ mutationId: uuid(1), userId: 'u', occurredAt, body: start(2), now: 1 }),
    ).toThrow();
  });
});
