import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BridgeFailure } from '../../electron/services/bridge/bridge-failure';
import { openLocalStore, type LocalStore } from '../../electron/services/store/local-store';
import { createWorkService, type WorkService } from '../../electron/services/work/work-service';
import type { Resolution } from '@shared/resolution';
import { fillChecklist, type FillOptions } from '../support/desktop-checklist';
import {
  amountNeedingApproval,
  moduleForException,
  PLAIN_ACTIONS,
  shippedModules,
} from '../support/sop-solver';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('work');
afterAll(() => tmp.remove());

const NOW = Date.UTC(2025, 5, 30, 12);
const HOUR = 3_600_000;
const USER = 'user-operator1';

let store: LocalStore;
let work: WorkService;
let changes = 0;
let fileNo = 0;
beforeEach(() => {
  store = openLocalStore(tmp.path(`work-${(fileNo += 1)}.sqlite`));
  // The SOP cache as the sync step fills it from GET /api/sops.
  store.sops.putAll(shippedModules());
  changes = 0;
  work = createWorkService({ store, now: () => new Date(NOW), onLocalChange: () => (changes += 1) });
});
afterEach(() => store.close());

/** An item leased to the operator: the exception as the server granted it, and its lease. */
function lease(n: number, fields: { priority?: number; slaInHours?: number } = {}): string {
  const record = makeException(n, {
    status: 'assigned',
    assigneeId: USER,
    priority: (fields.priority ?? 3) as 1 | 2 | 3 | 4 | 5,
    slaDueAt: new Date(NOW + (fields.slaInHours ?? 48) * HOUR).toISOString(),
  });
  store.transaction(() => {
    store.exceptions.upsert(record);
    store.leases.granted(
      { leaseId: `lease-${n}`, exceptionId: record.id, userId: USER, expiresAt: NOW + 10 * HOUR },
      NOW,
    );
  });
  return record.id;
}

const TODAY = new Date(NOW).toISOString().slice(0, 10);

/** Answers the item's checklist (autosaved, as the workspace does) and returns the resolution. */
function checklist(id: string, opts: FillOptions = {}): Resolution {
  return fillChecklist(store, USER, id, { today: TODAY, prefer: { actions: PLAIN_ACTIONS }, ...opts })
    .resolution;
}

describe('get-next from the local leased queue', () => {
  it('follows the server order: passed SLA, then SLA within the goal window, then priority and SLA', () => {
    const calm1 = lease(1, { priority: 1, slaInHours: 72 });
    const late5 = lease(2, { priority: 5, slaInHours: -1 });
    const soon4 = lease(3, { priority: 4, slaInHours: 5 });
    const calm2 = lease(4, { priority: 2, slaInHours: 30 });
    const order: string[] = [];
    for (;;) {
      const { item } = work.next(USER);
      if (!item) break;
      order.push(item.exception.id);
      work.resolve(USER, item.exception.id, checklist(item.exception.id));
    }
    expect(order).toEqual([late5, soon4, calm1, calm2]);
  });

  it('offers started work first, narrows by type, and counts what remains', () => {
    const a = lease(1, { priority: 1 });
    const b = lease(2, { priority: 5 });
    work.start(USER, b);
    expect(work.next(USER)).toMatchObject({
      item: { exception: { id: b }, lease: { state: 'working' } },
      remaining: 2,
    });
    const typeOfA = store.exceptions.get(a)!.type;
    expect(work.next(USER, [typeOfA]).item?.exception.id).toBe(a);
  });
});

describe('operator actions', () => {
  it('write the local change and the outbox entry in one transaction', () => {
    const id = lease(1);
    const started = work.start(USER, id);
    expect(started.exception?.status).toBe('in_progress');
    expect(
      store.exceptions.page({ sort: 'priority_sla', offset: 0, limit: 10, statuses: ['in_progress'] }).total,
    ).toBe(1);
    // A second start records nothing: the item is already in progress.
    expect(work.start(USER, id).mutationId).toBeNull();
    const waiting = checklist(id, { prefer: { actions: ['pending_partner'] }, followUpDate: '2025-07-15' });
    const resolved = work.resolve(USER, id, waiting);
    expect(resolved.exception?.status).toBe('pending_partner');
    const entries = store.outbox.due(USER, 10);
    expect(entries.map((e) => [e.kind, e.mutationId])).toEqual([
      ['exception.start', started.mutationId],
      ['exception.resolve', resolved.mutationId],
    ]);
    expect(entries[1]!.body).toMatchObject({
      leaseId: 'lease-1',
      resolution: { followUpDate: '2025-07-15' },
      // The checklist travels with the result: the module version followed and every answer.
      checklist: { sop: { moduleId: expect.any(String) as unknown as string }, answers: expect.anything() },
    });
    expect(entries.every((e) => e.occurredAt === new Date(NOW).toISOString())).toBe(true);
    expect(store.leases.get('lease-1')?.state).toBe('done');
    expect(changes).toBe(2);
  });

  it('commit nothing when the action is refused', () => {
    const id = lease(1);
    const resolution = checklist(id);
    work.resolve(USER, id, resolution);
    expect(() => work.resolve(USER, id, resolution)).toThrow(/already finished/);
    expect(() => work.skip(USER, 'EX-424242', 'not mine')).toThrow(BridgeFailure);
    const other = lease(2);
    store.leases.markLost('lease-2', 'reassigned to operator2 by lead1: rebalancing', NOW);
    expect(() => work.start(USER, other)).toThrow(/no longer hold .*reassigned to operator2/);
    expect(store.outbox.counts(USER).pending).toBe(1);
  });

  it('refuse a resolution the checklist does not allow yet, and record nothing', () => {
    const id = lease(1);
    const resolution = checklist(id);
    // The answers are not saved here, so the checklist on this machine is empty.
    store.checklists.remove(USER, id);
    let failure: unknown;
    try {
      work.resolve(USER, id, resolution);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(BridgeFailure);
    expect(failure).toMatchObject({ code: 'invalid_input' });
    expect((failure as Error).message).toMatch(
      /The checklist does not allow this resolution yet: Step \d+ "/,
    );
    expect(store.outbox.counts(USER).pending).toBe(0);
    expect(store.exceptions.get(id)?.status).toBe('assigned');
    expect(store.leases.get('lease-1')?.state).toBe('held');
  });

  it('refuse a write-off that does not close the whole variance before it enters the outbox', () => {
    const record = makeException(40, {
      type: 'short_payment',
      status: 'assigned',
      assigneeId: USER,
      expected: { amount: '5000', currency: 'USD' },
      actual: { amount: '3857.5', currency: 'USD' },
      variance: { amount: '-1142.5', currency: 'USD' },
    });
    store.transaction(() => {
      store.exceptions.upsert(record);
      store.leases.granted(
        { leaseId: 'lease-40', exceptionId: record.id, userId: USER, expiresAt: NOW + 10 * HOUR },
        NOW,
      );
    });
    const writeOff = (amount: string): Resolution =>
      checklist(record.id, { prefer: { actions: ['write_off'], code: '53' }, amount });
    for (const [amount, message] of [
      ['0.01', /The amount must be negative, as the variance is \(-\$1,142\.50\)/],
      ['-0.01', /A write-off closes the whole variance: the amount must be exactly -\$1,142\.50/],
      ['-0', /The amount cannot be zero/],
    ] as const) {
      let failure: unknown;
      try {
        work.resolve(USER, record.id, writeOff(amount));
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(BridgeFailure);
      expect(failure).toMatchObject({ code: 'invalid_input', issues: [{ path: 'amount' }] });
      expect((failure as Error).message).toMatch(message);
    }
    expect(store.outbox.counts(USER).pending).toBe(0);
    expect(store.exceptions.get(record.id)?.status).toBe('assigned');
    // The exact variance goes through, and above the module's threshold waits for a lead.
    expect(work.resolve(USER, record.id, writeOff('-1142.50')).exception?.status).toBe('pending_approval');
  });

  it('show a resolution above the SOP threshold as waiting for approval', () => {
    // The first item whose module holds some action for a lead, and offers it for this item.
    for (let n = 1; n <= 32; n += 1) {
      const id = lease(n);
      const exception = store.exceptions.get(id)!;
      const module = moduleForException(exception);
      for (const rule of module.approvals) {
        const amount = amountNeedingApproval(module, rule.action, exception.variance);
        if (amount === null) continue;
        let resolution: Resolution;
        try {
          resolution = checklist(id, {
            prefer: { actions: [rule.action], approval: 'require' },
            amount,
          });
        } catch {
          continue;
        }
        const result = work.resolve(USER, id, resolution);
        expect(result.exception?.status).toBe('pending_approval');
        expect(store.outbox.due(USER, 1)[0]?.body).toMatchObject({
          resolution: { action: rule.action, amount: { amount } },
        });
        return;
      }
    }
    throw new Error('no shipped module holds anything for approval on these items');
  });

  it('skip takes the item out of the local queue and ends the lease here', () => {
    const id = lease(1);
    const result = work.skip(USER, id, 'waiting on the partner file');
    expect(result.exception).toBeNull();
    expect(store.exceptions.get(id)).toBeNull();
    expect(store.outbox.due(USER, 1)[0]?.body).toEqual({
      kind: 'exception.skip',
      exceptionId: id,
      leaseId: 'lease-1',
      reason: 'waiting on the partner file',
    });
    expect(work.next(USER).item).toBeNull();
  });

  it('keeps the prefetch setting within bounds', () => {
    expect(work.settings()).toEqual({ prefetchCount: 25 });
    expect(work.updateSettings({ prefetchCount: 120 })).toEqual({ prefetchCount: 120 });
  });
});

describe('a pull over unsent local work', () => {
  it('re-applies changes the server has not acknowledged on top of the pulled state', () => {
    const a = lease(1);
    const b = lease(2);
    work.resolve(USER, a, checklist(a));
    work.skip(USER, b, 'not enough evidence');
    // The server's view still predates both: assigned to the operator.
    const serverA = { ...store.exceptions.get(a)!, status: 'assigned' as const, version: 2 };
    const serverB = makeException(2, { status: 'assigned', assigneeId: USER, version: 2 });
    store.applyPulledPage(
      [
        { seq: 1, entity: 'exception', entityId: a, op: 'upsert', data: serverA },
        { seq: 2, entity: 'exception', entityId: b, op: 'upsert', data: serverB },
      ],
      2,
    );
    expect(store.exceptions.get(a)).toMatchObject({ status: 'resolved', version: 2 });
    expect(store.exceptions.get(b)).toBeNull();

    // Once acknowledged, the server's state is taken as it comes.
    store.outbox.remove(store.outbox.due(USER, 10).map((e) => e.seq));
    store.applyPulledPage(
      [
        {
          seq: 3,
          entity: 'exception',
          entityId: a,
          op: 'upsert',
          data: { ...serverA, status: 'closed', version: 3 },
        },
      ],
      3,
    );
    expect(store.exceptions.get(a)?.status).toBe('closed');
  });
});
