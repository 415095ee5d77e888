import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import { DEMO_WORK_TYPES } from '../../server/src/demo/users';
import { LEAD1, OPERATOR1, startSyncServer, stopSyncClusters, type SyncServer } from './sync-server';
import { call, ok } from './typed-dispatch';
import { waitFor } from '../support/wait-for';
import { EXCEPTION_TYPE_LABELS, type ExceptionType } from '@shared/exception-types';
import { tempDir } from '../support/temp-dir';

let server: SyncServer;
const tmp = tempDir('team');
const dir = tmp.dir;
let dirs = 0;
const OPERATOR2_TYPES = DEMO_WORK_TYPES['user-operator2'] ?? [];

beforeAll(async () => {
  server = await startSyncServer({ demoCount: 300 });
});
afterAll(async () => {
  await server?.close();
  await stopSyncClusters();
  tmp.remove();
});

/** A link that can be pulled out, as a cable would. */
interface Link {
  offline: boolean;
  fetch: typeof fetch;
}

async function signedInApp(who: { username: string; password: string }, link?: Link): Promise<AppServices> {
  dirs += 1;
  const app = await createAppServices({
    dataDir: join(dir, `client-${dirs}`),
    secretStore: createMemorySecretStore(),
    mode: 'browser',
    defaultServerUrl: server.url,
    version: 'test',
    validateOutput: true,
    syncIntervalMs: 600_000,
    serverEvents: false,
    backoff: { baseMs: 20, capMs: 200 },
    requestTimeoutMs: 5_000,
    ...(link ? { fetch: link.fetch } : {}),
  });
  ok(await call(app.router, 'work.updateSettings', { prefetchCount: 0 }));
  ok(await call(app.router, 'session.signIn', who));
  await app.start();
  ok(await call(app.router, 'sync.now', {}));
  return app;
}

/** Open, unleased items on the server: of a type operator2 may work, or not. */
async function openItems(allowedToOperator2: boolean, count: number): Promise<string[]> {
  const rows = await server.db.query<{ id: string }>(
    `SELECT id FROM exceptions WHERE status = 'open' AND lease_id IS NULL
       AND (type = ANY($1::text[])) = $2 ORDER BY id DESC LIMIT $3`,
    [[...OPERATOR2_TYPES], allowedToOperator2, count],
  );
  if (rows.length < count) throw new Error('the demo set has too few open items');
  return rows.map((r) => r.id);
}

async function serverRow(id: string): Promise<{ status: string; assignee_id: string | null; type: string }> {
  const rows = await server.db.query<{ status: string; assignee_id: string | null; type: string }>(
    'SELECT status, assignee_id, type FROM exceptions WHERE id = $1',
    [id],
  );
  if (!rows[0]) throw new Error(`no ${id} on the server`);
  return rows[0];
}

describe("a lead's bulk actions through the bridge, against the real central API", () => {
  it('lists operators with the types each may be allocated', async () => {
    const lead = await signedInApp(LEAD1);
    const { operators } = ok(await call(lead.router, 'team.operators', {}));
    expect(operators.map((o) => o.id)).toContain('user-operator2');
    expect(operators.find((o) => o.id === 'user-operator2')?.workTypes).toEqual([...OPERATOR2_TYPES].sort());
    await lead.close();
  });

  it('reassigns item by item: a refused item is reported with the reason and the rest still go through', async () => {
    const lead = await signedInApp(LEAD1);
    const [a, b] = await openItems(true, 2);
    const [refused] = await openItems(false, 1);
    const refusedType = (await serverRow(refused!)).type;

    const { results } = ok(
      await call(lead.router, 'team.reassign', {
        exceptionIds: [a!, refused!, b!],
        toUserId: 'user-operator2',
        reason: 'balancing the shift',
      }),
    );

    expect(results).toEqual([
      { exceptionId: a, ok: true, message: 'reassigned to user-operator2' },
      {
        exceptionId: refused,
        ok: false,
        message: `operator2 is not allowed to work on ${EXCEPTION_TYPE_LABELS[refusedType as ExceptionType]} items`,
      },
      { exceptionId: b, ok: true, message: 'reassigned to user-operator2' },
    ]);
    expect(await serverRow(a!)).toMatchObject({ status: 'assigned', assignee_id: 'user-operator2' });
    expect(await serverRow(b!)).toMatchObject({ status: 'assigned', assignee_id: 'user-operator2' });
    expect(await serverRow(refused!)).toMatchObject({ status: 'open', assignee_id: null });
    // The action nudged a sync: the lead's local queue shows the new holder without a manual refresh.
    await waitFor(() => lead.store.exceptions.get(a!)?.assigneeId === 'user-operator2');
    await lead.close();
  });

  it('releases item by item and says which items were not leased', async () => {
    const lead = await signedInApp(LEAD1);
    const [leased, notLeased] = await openItems(true, 2);
    ok(
      await call(lead.router, 'team.reassign', {
        exceptionIds: [leased!],
        toUserId: 'user-operator2',
        reason: 'set up the release',
      }),
    );

    const { results } = ok(
      await call(lead.router, 'team.release', {
        exceptionIds: [leased!, notLeased!, leased!],
        reason: 'operator2 went home',
      }),
    );

    // A repeated id is done once.
    expect(results).toEqual([
      { exceptionId: leased, ok: true, message: 'back in the queue' },
      { exceptionId: notLeased, ok: false, message: `${notLeased} is not leased to anyone` },
    ]);
    expect(await serverRow(leased!)).toMatchObject({ status: 'open', assignee_id: null });
    const { entries } = ok(await call(lead.router, 'exception.history', { id: leased! }));
    expect(entries.slice(0, 2)).toEqual([
      expect.objectContaining({
        action: 'lease.released',
        actorName: 'Grace Liu',
        reason: 'operator2 went home',
      }),
      expect.objectContaining({ action: 'lease.reassigned', reason: 'set up the release' }),
    ]);
    await lead.close();
  });

  it('does not try the rest once the server is unreachable, and says so per item', async () => {
    const link: Link = {
      offline: false,
      fetch: (input, init) =>
        link.offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init),
    };
    const lead = await signedInApp(LEAD1, link);
    const ids = await openItems(true, 3);
    link.offline = true;
    const { results } = ok(
      await call(lead.router, 'team.reassign', {
        exceptionIds: ids,
        toUserId: 'user-operator2',
        reason: 'balancing the shift',
      }),
    );
    expect(results.map((r) => r.ok)).toEqual([false, false, false]);
    expect(results[0]?.message).toMatch(/Cannot reach the server/);
    expect(results[1]?.message).toMatch(/^not tried: Cannot reach the server/);
    for (const id of ids) expect(await serverRow(id)).toMatchObject({ status: 'open', assignee_id: null });
    await lead.close();
  });

  it('refuses the team channels to an operator', async () => {
    const operator = await signedInApp(OPERATOR1);
    const res = await call(operator.router, 'team.operators', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const [id] = await openItems(true, 1);
    const { results } = ok(
      await call(operator.router, 'team.reassign', {
        exceptionIds: [id!],
        toUserId: 'user-operator1',
        reason: 'take it myself',
      }),
    );
    expect(results).toEqual([
      { exceptionId: id, ok: false, message: 'this needs one of the roles: lead, admin' },
    ]);
    await operator.close();
  });
});
