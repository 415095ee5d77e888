import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceptionHistorySchema } from '@shared/api/exceptions';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { mutation } from './helpers/mutations';

describe.each(databaseTargets())('GET /api/exceptions/:id/history on $kind', (target) => {
  let app: TestApp;
  let lead: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 200 });
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows a lead who reassigned and who skipped an item, and why, newest first', async () => {
    const rows = await app.db.query<{ id: string }>(
      `SELECT id FROM exceptions WHERE status = 'open' AND type = 'usage_mismatch' ORDER BY id LIMIT 1`,
    );
    const id = rows[0]!.id;
    const reassigned = await request(app.url, '/api/work/reassign', {
      token: lead,
      body: { exceptionId: id, toUserId: 'user-operator2', reason: 'operator2 knows this customer' },
    });
    expect(reassigned.status).toBe(200);
    const leaseId = (reassigned.body as { lease: { leaseId: string } }).lease.leaseId;
    const op2 = (await login(app.url, 'operator2', DEMO_PASSWORD)).accessToken;
    const skip = mutation({
      kind: 'exception.skip',
      exceptionId: id,
      leaseId,
      reason: 'waiting on AWS case',
    });
    const pushed = await request(app.url, '/api/sync/push', {
      token: op2,
      body: { clientId: randomUUID(), mutations: [skip] },
    });
    expect(pushed.body).toMatchObject({ results: [{ outcome: 'applied' }] });

    const res = await request(app.url, `/api/exceptions/${id}/history?limit=5`, { token: lead });
    expect(res.status).toBe(200);
    const { entries } = exceptionHistorySchema.parse(res.body);
    expect(entries.slice(0, 2)).toEqual([
      expect.objectContaining({
        actorId: 'user-operator2',
        actorName: 'Miguel Santos',
        action: 'mutation.applied',
        kind: 'exception.skip',
        reason: 'waiting on AWS case',
      }),
      expect.objectContaining({
        actorId: 'user-lead1',
        actorName: 'Grace Liu',
        action: 'lease.reassigned',
        kind: null,
        reason: 'operator2 knows this customer',
      }),
    ]);
  });

  it('answers 404 for an unknown exception and 403 to an operator', async () => {
    expectApiError(
      await request(app.url, '/api/exceptions/EX-999999/history', { token: lead }),
      404,
      'not_found',
    );
    const op = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    const rows = await app.db.query<{ id: string }>('SELECT id FROM exceptions ORDER BY id LIMIT 1');
    expectApiError(
      await request(app.url, `/api/exceptions/${rows[0]!.id}/history`, { token: op }),
      403,
      'forbidden',
    );
  });
});
