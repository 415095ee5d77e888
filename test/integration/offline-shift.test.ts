import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import Decimal from 'decimal.js';
import type { Resolution } from '@shared/resolution';
import { needsApproval } from '@shared/sop/engine';
import type { SopModule } from '@shared/sop/module';
import { fillChecklist, type FilledChecklist } from '../support/desktop-checklist';
import { MONEY_ACTIONS } from '../support/sop-solver';
import { OPERATOR1, startSyncServer, stopSyncClusters, type SyncServer } from './sync-server';
import { call, ok } from './typed-dispatch';
import { waitFor } from '../support/wait-for';
import { tempDir } from '../support/temp-dir';

/**
 * Acceptance 4: with the server down, one operator completes 5,000 results from the prefetched
 * queue; when the server returns, every result arrives exactly once, in the order they were made.
 */
const SHIFT = 5_000;
const tmp = tempDir('offline');
const dir = tmp.dir;
let server: SyncServer;
let app: AppServices;
let prefetch = SHIFT;

beforeAll(async () => {
  // 70% of demo items are open: enough for the shift, with room for the operator's lease cap.
  server = await startSyncServer({ demoCount: 7_400, config: { maxLeasesPerOperator: SHIFT + 500 } });
  app = await createAppServices({
    dataDir: join(dir, 'client'),
    secretStore: createMemorySecretStore(),
    mode: 'browser',
    defaultServerUrl: server.url,
    version: 'test',
    validateOutput: false,
    syncIntervalMs: 600_000,
    serverEvents: true,
    backoff: { baseMs: 50, capMs: 500 },
    leases: { prefetchCount: () => prefetch },
  });
  await app.start();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await server?.close();
  await stopSyncClusters();
  tmp.remove();
});

/**
 * The operator answers the item's checklist (autosaved locally, with the modules synced before
 * the outage) and picks a result its SOP allows: every fourth one moves money (`i + 0.01`, a
 * credit memo where the SOP offers one, else another money action) where the item's SOP offers
 * money at all; the others finish it as simply as the SOP allows. (The bridge's checklist
 * channels are exercised in operator-work.test.ts.)
 */
let modules: readonly SopModule[] | null = null;
function resolutionFor(exceptionId: string, i: number): FilledChecklist {
  const userId = 'user-operator1';
  modules ??= app.store.sops.all();
  // Money settles the item's whole variance, so only an item with one can carry money.
  const variance = app.store.exceptions.get(exceptionId)?.variance;
  if (i % 4 === 0 && variance && !new Decimal(variance.amount).isZero()) {
    try {
      return fillChecklist(app.store, userId, exceptionId, {
        modules,
        prefer: { actions: ['credit_memo_request', ...MONEY_ACTIONS] },
        amount: variance.amount,
        note: `credit memo for result ${i}`,
      });
    } catch (error) {
      if (!/offers nothing acceptable/.test(String(error))) throw error;
    }
  }
  return fillChecklist(app.store, userId, exceptionId, { modules, note: `result ${i}` });
}

describe('a whole shift offline', () => {
  it(`keeps ${SHIFT} results made offline and delivers each exactly once, in order, when the server returns`, async () => {
    ok(await call(app.router, 'session.signIn', OPERATOR1));
    const online = ok(await call(app.router, 'sync.now', {}));
    expect(online).toMatchObject({ state: 'idle', online: true });
    expect(app.store.leases.countActive('user-operator1')).toBe(SHIFT);
    prefetch = 0;

    await server.down();
    const userId = 'user-operator1';
    const made: string[] = [];
    const sent: Resolution[] = [];
    let held = 0;
    const t0 = performance.now();
    for (let i = 0; i < SHIFT; i += 1) {
      const { item } = app.work.next(userId);
      if (!item) throw new Error(`the local queue ran dry after ${i} results`);
      const { resolution, module } = resolutionFor(item.exception.id, i);
      const result = ok(
        await call(app.router, 'exception.resolve', { exceptionId: item.exception.id, resolution }),
      );
      made.push(result.mutationId!);
      sent.push(resolution);
      if (needsApproval(module, resolution)) held += 1;
      // Let timers run now and then (an operator is slower than this loop): the engine notices the outage.
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 1));
    }
    const offlineMs = performance.now() - t0;
    await waitFor(() => app.sync.status().state === 'offline', 10_000);
    const offline = ok(await call(app.router, 'sync.status', {}));
    expect(offline).toMatchObject({ online: false, state: 'offline', pending: SHIFT, failed: 0 });
    expect(ok(await call(app.router, 'work.next', {})).item).toBeNull();

    // The server comes back: the event stream reconnects (or the backoff timer fires) and pushes.
    const t1 = performance.now();
    await server.up();
    await waitFor(() => app.sync.status().pending === 0 && app.sync.status().state === 'idle', 120_000);
    const drainMs = performance.now() - t1;
    expect(app.sync.status()).toMatchObject({ online: true, pending: 0, failed: 0, conflicts: 0 });

    const clientId = app.store.clientId();
    const rows = await server.db.query<{ mutation_id: string; client_seq: string; outcome: string }>(
      `SELECT mutation_id, client_seq, outcome FROM sync_mutations WHERE client_id = $1 ORDER BY client_seq`,
      [clientId],
    );
    expect(rows).toHaveLength(SHIFT);
    expect(rows.every((r) => r.outcome === 'applied')).toBe(true);
    // In order: by client seq the server holds exactly the sequence the operator made.
    expect(rows.map((r) => r.mutation_id)).toEqual(made);
    // And it applied them in that order: the audit chain records them with rising client seq.
    const applied = await server.db.query<{ seq: string }>(
      `SELECT details->>'clientSeq' AS seq FROM audit_log
       WHERE action = 'mutation.applied' AND details->>'clientId' = $1 ORDER BY id`,
      [clientId],
    );
    const seqs = applied.map((a) => Number(a.seq));
    expect(seqs).toHaveLength(SHIFT);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    const resolutions = await server.db.query<{ n: string; distinct_ids: string; money: string | null }>(
      `SELECT count(*) AS n, count(DISTINCT exception_id) AS distinct_ids, sum(amount)::text AS money
       FROM exception_resolutions WHERE client_id = $1`,
      [clientId],
    );
    // Amounts arrive exact: the server's sum is the decimal sum of every amount sent (the whole
    // variance of every fourth item; items whose SOP offers no money carry none).
    const moneySent = sent.filter((r) => r.amount !== null);
    expect(moneySent.length).toBeGreaterThan(SHIFT / 8);
    const total = moneySent.reduce((sum, r) => sum.plus(r.amount!.amount), new Decimal(0));
    expect(resolutions[0]).toMatchObject({
      n: String(SHIFT),
      distinct_ids: String(SHIFT),
      money: total.toFixed(10),
    });
    // Results above their SOP's threshold arrived too, and wait for a lead (exactly those).
    const approvals = await server.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM approvals a JOIN exception_resolutions r ON r.id = a.resolution_id
       WHERE r.client_id = $1 AND a.state = 'pending'`,
      [clientId],
    );
    expect(approvals[0]?.n).toBe(String(held));
    console.log(
      `[offline-shift] ${SHIFT} results offline in ${(offlineMs / 1000).toFixed(1)} s; delivered ${(drainMs / 1000).toFixed(1)} s after the server returned (${server.backend})`,
    );
  }, 240_000);
});
