import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueSort } from '@shared/ipc/channels';
import { openLocalStore, type LocalStore } from '../../electron/services/store/local-store';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('queue-drill');
afterAll(() => tmp.remove());

let store: LocalStore;
let fileNo = 0;
beforeEach(() => {
  store = openLocalStore(tmp.path(`store-${(fileNo += 1)}.sqlite`));
  store.exceptions.upsertMany(
    Array.from({ length: 40 }, (_, i) => makeException(i + 1, { status: i % 2 ? 'open' : 'assigned' })),
  );
});
afterEach(() => store.close());

const SORTS: QueueSort[] = ['priority_sla', 'sla_due', 'opened', 'variance_desc', 'updated'];

/** A dashboard drill-down shows only the ids behind the figure, in every sort, counts included. */
describe('the queue id filter (dashboard drill-down)', () => {
  it('keeps only the given ids in rows, total and status counts, whatever the sort', () => {
    const ids = ['EX-000003', 'EX-000004', 'EX-000017', 'EX-999999'];
    for (const sort of SORTS) {
      for (const reverse of [false, true]) {
        const page = store.exceptions.page({ sort, reverse, offset: 0, limit: 100, ids });
        expect(page.rows.map((r) => r.id).sort(), `${sort} ${reverse}`).toEqual(ids.slice(0, 3));
        expect(page.total).toBe(3);
      }
    }
    const counts = store.exceptions.counts({ ids });
    expect(counts.open).toBe(1);
    expect(counts.assigned).toBe(2);
  });

  it('narrows with the other filters and the search, and an empty list matches nothing', () => {
    const ids = ['EX-000003', 'EX-000004', 'EX-000017'];
    const open = store.exceptions.page({
      sort: 'priority_sla',
      offset: 0,
      limit: 100,
      ids,
      statuses: ['open'],
    });
    expect(open.rows.map((r) => r.id)).toEqual(['EX-000004']);
    const searched = store.exceptions.page({
      sort: 'opened',
      offset: 0,
      limit: 100,
      ids,
      search: 'EX-000017',
    });
    expect(searched.rows.map((r) => r.id)).toEqual(['EX-000017']);
    expect(store.exceptions.page({ sort: 'opened', offset: 0, limit: 100, ids: [] })).toEqual({
      rows: [],
      total: 0,
    });
  });
});
