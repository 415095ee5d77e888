import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import { approvalsResponseSchema } from '@shared/api/approvals';
import { generateDemoExceptions } from '@shared/demo/generate';
import type { ExceptionRecord } from '@shared/exception';
import { insertExceptions } from '../../server/src/features/exceptions/repo';
import { fillChecklistViaBridge } from '../support/desktop-checklist';
import { aboveThreshold, type ResolveSpec } from '../server/helpers/mutations';
import {
  apiCall,
  apiLogin,
  LEAD1,
  OPERATOR1,
  startSyncServer,
  stopSyncClusters,
  type SyncServer,
} from './sync-server';
import { call, ok } from './typed-dispatch';
import { tempDir } from '../support/temp-dir';

/**
 * Issue 10 item 8, the desk's half: a write-off a lead rejects comes back to the operator who
 * resolved it, and the desk keeps the lead's reason with the lease get-next granted, so the
 * workspace can show it. Only get-next carries the reason (the pull feed sends summaries); the
 * pull does show the item open and assigned to the operator, and the lease step asks get-next
 * for it even though the desk's hand is full.
 */
const ID = 'EX-RET001';
/** Less urgent work that fills the desk's hand (prefetch 1) once the write-off is resolved. */
const LATER = 'EX-RET002';
const REASON = 'the contract lets us rebill this; write off only the rounding';
const DAY = 86_400_000;

let server: SyncServer;
let app: AppServices | null = null;
const tmp = tempDir('returned');
const dir = tmp.dir;

/** A demo exception whose SOP holds a write-off of its whole variance for a lead's approval. */
function writeOffNeedingApproval(today: string): { record: ExceptionRecord; spec: ResolveSpec } {
  for (const record of generateDemoExceptions({ count: 400, seed: 11, now: new Date() })) {
    try {
      const spec = aboveThreshold(record, today);
      if (spec.prefer?.actions?.[0] === 'write_off') return { record, spec };
    } catch {
      // Its module holds nothing for approval on this item: try the next one.
    }
  }
  throw new Error('no demo exception needs approval for a write-off');
}

beforeAll(async () => {
  // No demo work: the server's queue is this test's two items, in a known order.
  server = await startSyncServer({ demoCount: 0 });
});
afterAll(async () => {
  await app?.close();
  await server?.close();
  await stopSyncClusters();
  tmp.remove();
});

describe('a rejected write-off on the desk', () => {
  it("comes back to its operator with the lead's reason, kept with the lease and shown by work.next", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const { record, spec } = writeOffNeedingApproval(today);
    const now = Date.now();
    await server.db.transaction((tx) =>
      insertExceptions(
        tx,
        [ID, LATER].map((id, i) => ({
          ...record,
          id,
          status: 'open' as const,
          assigneeId: null,
          version: 1,
          priority: 1,
          slaDueAt: new Date(now + (1 + 2 * i) * DAY).toISOString(),
          openedAt: new Date(now - 2 * DAY).toISOString(),
          updatedAt: new Date(now - 2 * DAY).toISOString(),
        })),
      ),
    );

    app = await createAppServices({
      dataDir: join(dir, 'desk'),
      secretStore: createMemorySecretStore(),
      mode: 'browser',
      defaultServerUrl: server.url,
      version: 'test',
      validateOutput: true,
      syncIntervalMs: 600_000,
      serverEvents: false,
      backoff: { baseMs: 20, capMs: 200 },
    });
    ok(await call(app.router, 'work.updateSettings', { prefetchCount: 1 }));
    ok(await call(app.router, 'session.signIn', OPERATOR1));
    ok(await call(app.router, 'sync.now', {}));

    // The operator takes it (a plain grant: nothing returned) and writes off above the threshold.
    const first = ok(await call(app.router, 'work.next', {})).item;
    expect(first?.exception.id).toBe(ID);
    expect(first?.lease.returned).toBeNull();
    const { resolution } = await fillChecklistViaBridge(app.router, ID, {
      ...(spec.prefer ? { prefer: spec.prefer } : {}),
      ...(spec.amount === undefined ? {} : { amount: spec.amount }),
      note: 'written off in full; above the threshold, for a lead',
    });
    expect(resolution.action).toBe('write_off');
    const resolved = ok(await call(app.router, 'exception.resolve', { exceptionId: ID, resolution }));
    expect(resolved.exception?.status).toBe('pending_approval');
    expect(ok(await call(app.router, 'sync.now', {}))).toMatchObject({ pending: 0, failed: 0, conflicts: 0 });
    // The cycle topped the hand up again: it is full (1 of 1) when the lead decides.
    expect(ok(await call(app.router, 'work.next', {})).item?.exception.id).toBe(LATER);

    // A lead rejects it with a reason: it goes back to operator1, open, no lease yet.
    const lead = await apiLogin(server.url, LEAD1);
    const waiting = approvalsResponseSchema.parse(await apiCall(server.url, lead, 'GET', '/api/approvals'));
    const approval = waiting.approvals.find((a) => a.exception.id === ID);
    expect(approval).toBeDefined();
    await apiCall(server.url, lead, 'POST', `/api/approvals/${approval!.id}/decision`, {
      decision: 'reject',
      comment: REASON,
    });
    const [row] = await server.db.query<{ status: string; assignee_id: string | null }>(
      'SELECT status, assignee_id FROM exceptions WHERE id = $1',
      [ID],
    );
    expect(row).toEqual({ status: 'open', assignee_id: 'user-operator1' });

    // The desk's next cycle pulls it (open, assigned to operator1, no lease here) and asks
    // get-next for it although the hand is full: it comes back with the reason, and being the
    // more urgent of the two it is what the operator's next item is.
    ok(await call(app.router, 'sync.now', {}));
    const next = ok(await call(app.router, 'work.next', {}));
    expect(next.remaining).toBe(2);
    const back = next.item;
    expect(back?.exception.id).toBe(ID);
    expect(back?.lease.leaseId).not.toBe(first?.lease.leaseId);
    expect(back?.lease.returned).toEqual({
      reason: REASON,
      by: 'user-lead1',
      byName: 'Grace Liu',
      at: expect.any(String),
    });
    expect(Math.abs(Date.parse(back!.lease.returned!.at) - Date.now())).toBeLessThan(60_000);
    // The lease list says so too.
    const held = ok(await call(app.router, 'work.leases', {})).held;
    expect(held.find((l) => l.exceptionId === ID)?.returned?.reason).toBe(REASON);

    // Kept in SQLite, not only in memory: a desk restarted offline still shows why.
    await app.close();
    app = await createAppServices({
      dataDir: join(dir, 'desk'),
      secretStore: createMemorySecretStore(),
      mode: 'browser',
      defaultServerUrl: 'http://127.0.0.1:9',
      version: 'test',
      validateOutput: true,
      syncIntervalMs: 600_000,
      serverEvents: false,
      backoff: { baseMs: 20, capMs: 200 },
    });
    const store = app.store;
    const lease = store.leases.active('user-operator1', ID);
    expect(lease?.returned).toEqual(back?.lease.returned);
  });
});
