import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResponseSchema } from '@shared/api/work';
import { generateDemoExceptions } from '@shared/demo/generate';
import { pushResponseSchema } from '@shared/sync/mutations';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { insertExceptions } from '../../server/src/features/exceptions/repo';
import { returnDueFollowUps } from '../../server/src/features/work/follow-ups';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';
import { mutation, resolve } from './helpers/mutations';

const ID = 'EX-FOLW01';
const DAY = 86_400_000;

describe.each(databaseTargets())('pending-partner follow-ups on $kind', (target) => {
  let app: TestApp;
  let followUpDate = '';

  beforeAll(async () => {
    app = await startTestApp(target);
    const [base] = generateDemoExceptions({ count: 1, seed: 11, now: new Date() });
    if (!base) throw new Error('no demo exception');
    await app.db.transaction((tx) =>
      insertExceptions(tx, [
        {
          ...base,
          id: ID,
          type: 'usage_mismatch',
          status: 'open',
          assigneeId: null,
          priority: 1,
          version: 1,
        },
      ]),
    );
    const { accessToken } = await login(app.url, 'operator1', DEMO_PASSWORD);
    const next = await request(app.url, '/api/work/next', {
      token: accessToken,
      body: { count: 1, types: ['usage_mismatch'] },
    });
    const [item] = nextResponseSchema.parse(next.body).items.filter((i) => i.exception.id === ID);
    if (!item) throw new Error(`${ID} was not leased`);
    const body = resolve(item.exception, item.lease.leaseId, {
      prefer: { actions: ['pending_partner'] },
      note: 'AWS case opened; waiting for the partner',
    });
    if (body.kind !== 'exception.resolve' || !body.resolution.followUpDate)
      throw new Error('no follow-up date');
    followUpDate = body.resolution.followUpDate;
    const pushed = await request(app.url, '/api/sync/push', {
      token: accessToken,
      body: { clientId: randomUUID(), mutations: [mutation(body)] },
    });
    expect(pushResponseSchema.parse(pushed.body).results[0]?.outcome).toBe('applied');
  });

  afterAll(async () => {
    await app?.close();
  });

  const status = async (): Promise<{ status: string; assignee_id: string | null }> => {
    const rows = await app.db.query<{ status: string; assignee_id: string | null }>(
      'SELECT status, assignee_id FROM exceptions WHERE id = $1',
      [ID],
    );
    return rows[0] ?? { status: 'missing', assignee_id: null };
  };

  it('keeps a pending-partner item parked until its follow-up date', async () => {
    expect(await status()).toEqual({ status: 'pending_partner', assignee_id: 'user-operator1' });
    expect(await returnDueFollowUps(app.db, new Date(Date.parse(followUpDate) - DAY))).toBe(0);
    expect((await status()).status).toBe('pending_partner');
  });

  it('brings it back to the open queue on the date, once, with an audit row', async () => {
    expect(await returnDueFollowUps(app.db, new Date(Date.parse(followUpDate)))).toBe(1);
    expect(await status()).toEqual({ status: 'open', assignee_id: null });
    expect(await returnDueFollowUps(app.db, new Date(Date.parse(followUpDate) + DAY))).toBe(0);
    const audit = await app.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM audit_log WHERE entity_id = $1 AND action = 'follow_up.due'`,
      [ID],
    );
    expect(audit[0]?.n).toBe('1');
  });
});
