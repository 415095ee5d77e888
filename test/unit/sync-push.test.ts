import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../electron/services/sync/backoff';
import { readEventStream, type ServerSentEvent } from '../../electron/services/sync/sync-events';
import { applyPushAnswers } from '../../electron/services/sync/sync-push';
import { openLocalStore, type LocalStore } from '../../electron/services/store/local-store';
import type { MutationBody } from '@shared/sync/mutations';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('push');
afterAll(() => tmp.remove());

let store: LocalStore;
let fileNo = 0;
beforeEach(() => {
  store = openLocalStore(tmp.path(`push-${(fileNo += 1)}.sqlite`));
});
afterEach(() => store.close());

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const start = (n: number): MutationBody => ({
  kind: 'exception.start',
  exceptionId: `EX-${String(n).padStart(6, '0')}`,
  leaseId: `lease-${n}`,
});

function enqueue(n: number): void {
  store.leases.granted(
    { leaseId: `lease-${n}`, exceptionId: start(n).exceptionId, userId: 'u', expiresAt: 9e12 },
    1,
  );
  store.outbox.enqueue({
    mutationId: uuid(n),
    userId: 'u',
    occurredAt: '2025-06-30T12:00:00.000Z',
    body: start(n),
    now: 1,
  });
}

describe('recording the server answers to a push', () => {
  it('removes acknowledged entries, keeps superseded ones as conflicts and rejected ones with the reason', () => {
    for (let n = 1; n <= 6; n += 1) enqueue(n);
    const entries = store.outbox.due('u', 10);
    store.outbox.markSending(
      entries.map((e) => e.seq),
      2,
    );
    const out = applyPushAnswers(
      store,
      entries,
      {
        results: [
          { mutationId: uuid(1), outcome: 'applied', reason: null },
          { mutationId: uuid(2), outcome: 'duplicate', reason: null, originalOutcome: 'applied' },
          { mutationId: uuid(3), outcome: 'superseded', reason: 'you no longer hold EX-000003 (reassigned)' },
          {
            mutationId: uuid(4),
            outcome: 'duplicate',
            reason: 'you no longer hold it',
            originalOutcome: 'superseded',
          },
          { mutationId: uuid(5), outcome: 'rejected', reason: 'an exception in status "closed" cannot move' },
          // 6: no answer at all
        ],
      },
      3,
    );
    expect(out).toMatchObject({ acknowledged: 2, superseded: 2, rejected: 1, lostLeases: 2 });
    expect(store.outbox.list('u', 0, 10).items.map((e) => [e.mutationId, e.state, e.lastError])).toEqual([
      [uuid(5), 'rejected', 'an exception in status "closed" cannot move'],
      [uuid(6), 'pending', 'the server did not answer for this change'],
    ]);
    const conflicts = store.conflicts.list('u', 0, 10);
    expect(conflicts.total).toBe(2);
    expect(conflicts.items.map((c) => c.mutationId).sort()).toEqual([uuid(3), uuid(4)]);
    expect(conflicts.items.find((c) => c.mutationId === uuid(3))).toMatchObject({
      reason: 'you no longer hold EX-000003 (reassigned)',
      body: start(3),
      occurredAt: Date.parse('2025-06-30T12:00:00.000Z'),
    });
    expect(store.leases.get('lease-3')).toMatchObject({
      state: 'lost',
      lostReason: expect.stringContaining('reassigned'),
    });
    // A replayed answer records no second conflict.
    store.conflicts.record({ ...conflicts.items[0]!, at: 4 });
    expect(store.conflicts.count('u')).toBe(2);
  });
});

describe('retry delays', () => {
  it('grow exponentially up to the cap, with full jitter', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };
    expect([1, 2, 3, 4, 7, 8, 50].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([
      999, 1_999, 3_999, 7_999, 59_999, 59_999, 59_999,
    ]);
    expect(backoffDelay(5, policy, () => 0)).toBe(0);
  });
});

describe('server-sent event stream reader', () => {
  it('splits events across chunk boundaries and ignores comments', async () => {
    const chunks = [
      'retry: 2000\n\nevent: changed\nda',
      'ta: {"seq":4}\n\n: ping\n\n',
      'event: changed\r\ndata: {"seq":9}\r\n\r\n',
    ];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
        c.close();
      },
    });
    const seen: ServerSentEvent[] = [];
    const retries: number[] = [];
    await readEventStream(
      body,
      (e) => seen.push(e),
      (ms) => retries.push(ms),
    );
    expect(seen).toEqual([
      { event: 'changed', data: '{"seq":4}' },
      { event: 'changed', data: '{"seq":9}' },
    ]);
    expect(retries).toEqual([2000]);
  });
});
