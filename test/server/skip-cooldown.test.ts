import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResponseSchema } from '@shared/api/work';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';
import { mutation } from './helpers/mutations';

/**
 * Issue 11 item 5: a skipped item goes back to the team queue, not to its skipper's own queue the
 * same minute. get-next (the desk's prefetch is the same call) keeps it from them for the
 * cool-down; anyone else may take it at once.
 */
describe.each(databaseTargets())('skip cool-down on $kind', (target) => {
  let app: TestApp;
  let op1: string;
  let op2: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 300 });
    op1 = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    op2 = (await login(app.url, 'operator2', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  const next = async (token: string, count = 1) =>
    nextResponseSchema.parse(
      (await request(app.url, '/api/work/next', { token, body: { count, types: ['usage_mismatch'] } })).body,
    ).items;

  it('does not hand a skipped item back to its skipper until the cool-down has passed; others get it at once', async () => {
    const [first] = await next(op1);
    const id = first!.exception.id;
    const skip = mutation({
      kind: 'exception.skip',
      exceptionId: id,
      leaseId: first!.lease.leaseId,
      reason: 'Waiting for the partner: usage file not received',
    });
    const pushed = await request(app.url, '/api/sync/push', {
      token: op1,
      body: { clientId: randomUUID(), mutations: [skip] },
    });
    expect(pushed.body).toMatchObject({ results: [{ outcome: 'applied' }] });

    // The skipper's next items (one, then a prefetch of 20) never include it, though it is the
    // most urgent open item of the type.
    expect((await next(op1)).map((i) => i.exception.id)).not.toContain(id);
    expect((await next(op1, 20)).map((i) => i.exception.id)).not.toContain(id);

    // Another operator allowed the type takes it first.
    expect((await next(op2))[0]?.exception.id).toBe(id);
    const [held] = await app.db.query<{ assignee_id: string }>(
      'SELECT assignee_id FROM exceptions WHERE id = $1',
      [id],
    );
    expect(held?.assignee_id).toBe('user-operator2');
  });

  it('offers it to the skipper again once the cool-down (default 4 h) has passed', async () => {
    const [first] = await next(op1);
    const id = first!.exception.id;
    await request(app.url, '/api/sync/push', {
      token: op1,
      body: {
        clientId: randomUUID(),
        mutations: [
          mutation({
            kind: 'exception.skip',
            exceptionId: id,
            leaseId: first!.lease.leaseId,
            reason: 'Other: on a call',
          }),
        ],
      },
    });
    await app.db.query(
      `UPDATE exceptions SET skipped_at = skipped_at - interval '3 hours 59 minutes' WHERE id = $1`,
      [id],
    );
    expect((await next(op1)).map((i) => i.exception.id)).not.toContain(id);
    await app.db.query(`UPDATE exceptions SET skipped_at = skipped_at - interval '2 minutes' WHERE id = $1`, [
      id,
    ]);
    expect((await next(op1))[0]?.exception.id).toBe(id);
  });
});
