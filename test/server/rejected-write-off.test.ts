import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalsResponseSchema } from '@shared/api/approvals';
import { nextResponseSchema, type LeasedItem } from '@shared/api/work';
import { generateDemoExceptions } from '@shared/demo/generate';
import type { ExceptionRecord } from '@shared/exception';
import { pushResponseSchema, type MutationBody } from '@shared/sync/mutations';
import { hashPassword } from '../../server/src/auth/passwords';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { insertUser } from '../../server/src/features/auth/users-repo';
import { insertExceptions } from '../../server/src/features/exceptions/repo';
import { grantWorkTypes } from '../../server/src/features/work/work-types-repo';
import { shippedModules } from '../support/sop-solver';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';
import { aboveThreshold, mutation, resolve } from './helpers/mutations';

/**
 * A write-off a lead rejects goes back to the operator who resolved it, with the lead's reason:
 * their next get-next hands it to them first, nobody else's get-next takes it, and the history
 * says so. An operator who can no longer work it (deactivated) does not hold it hostage: it goes
 * to the open queue.
 */
const HOUR = 3_600_000;
const REJECTED = 'EX-RWO001';
const FALLBACK = 'EX-RWO002';
const LATER = 'EX-RWO003';
const REASON = 'the contract lets us rebill this; write off only the rounding';

describe.each(databaseTargets())('a rejected write-off on $kind', (target) => {
  let app: TestApp;
  let url: string;
  let type: ExceptionRecord['type'];
  let otherId: string;
  const token: Record<string, string> = {};
  const held = new Map<string, LeasedItem>();

  const next = async (who: string, count: number): Promise<LeasedItem[]> => {
    const res = await request(url, '/api/work/next', { token: token[who], body: { count, types: [type] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = nextResponseSchema.parse(res.body).items;
    for (const item of items) held.set(item.exception.id, item);
    return items;
  };
  const push = async (who: string, body: MutationBody): Promise<void> => {
    const res = await request(url, '/api/sync/push', {
      token: token[who],
      body: { clientId: randomUUID(), mutations: [mutation(body)] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(pushResponseSchema.parse(res.body).results[0]).toMatchObject({ outcome: 'applied' });
  };
  /** operator1 resolves `id` above its threshold; a lead rejects it with REASON. */
  const resolveAndReject = async (id: string, beforeDecision?: () => Promise<void>): Promise<void> => {
    const item = held.get(id);
    if (!item) throw new Error(`${id} is not leased`);
    const today = new Date().toISOString().slice(0, 10);
    await push(
      'operator1',
      resolve(item.exception, item.lease.leaseId, aboveThreshold(item.exception, today)),
    );
    await beforeDecision?.();
    const waiting = approvalsResponseSchema.parse(
      (await request(url, '/api/approvals', { token: token.lead1 })).body,
    ).approvals;
    const approval = waiting.find((a) => a.exception.id === id);
    if (!approval) throw new Error(`no approval waiting for ${id}`);
    const res = await request(url, `/api/approvals/${approval.id}/decision`, {
      token: token.lead1,
      body: { decision: 'reject', comment: REASON },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  beforeAll(async () => {
    app = await startTestApp(target);
    url = app.url;
    const module = shippedModules()[0]!;
    type = module.appliesTo[0]!;
    const base: Omit<ExceptionRecord, 'evidence'> & Partial<ExceptionRecord> =
      module.exerciseList[0]?.exception ?? generateDemoExceptions({ count: 1, seed: 3, now: new Date() })[0]!;
    const now = Date.now();
    // The two to be rejected are the most urgent, so on the open queue anyone would get them first.
    await app.db.transaction((tx) =>
      insertExceptions(
        tx,
        [REJECTED, FALLBACK, LATER].map((id, i) => ({
          evidence: [],
          ...base,
          id,
          type,
          status: 'open' as const,
          assigneeId: null,
          version: 1,
          priority: 1,
          slaDueAt: new Date(now + (i + 1) * HOUR).toISOString(),
          openedAt: new Date(now - 48 * HOUR).toISOString(),
          updatedAt: new Date(now - 48 * HOUR).toISOString(),
        })),
      ),
    );
    otherId = await insertUser(app.db, {
      username: 'other-operator',
      displayName: 'Other Operator',
      roles: ['operator'],
      passwordHash: await hashPassword(DEMO_PASSWORD),
    });
    await grantWorkTypes(app.db, otherId, [type]);
    for (const who of ['operator1', 'other-operator', 'lead1'])
      token[who] = (await login(url, who, DEMO_PASSWORD)).accessToken;
    expect((await next('operator1', 2)).map((i) => i.exception.id)).toEqual([REJECTED, FALLBACK]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("goes back to the operator who resolved it, with the lead's reason, and to nobody else", async () => {
    await resolveAndReject(REJECTED);

    // Another operator asks for work: the rejected item, although the most urgent, is not theirs.
    const others = await next('other-operator', 5);
    expect(others.map((i) => i.exception.id)).toEqual([LATER]);

    // Its operator's next get-next hands it back, with why.
    const [back, ...rest] = await next('operator1', 5);
    expect(rest).toEqual([]);
    expect(back?.exception).toMatchObject({ id: REJECTED, status: 'assigned', assigneeId: 'user-operator1' });
    expect(back?.lease.userId).toBe('user-operator1');
    expect(back?.returned).toMatchObject({ reason: REASON, by: 'user-lead1' });

    // The lead sees the return in the item's history, with the reason.
    const history = await request(url, `/api/exceptions/${REJECTED}/history`, { token: token.lead1 });
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain(REASON);
    const audit = await app.db.query<{ details: { returnedTo: string | null; reason: string } }>(
      `SELECT details FROM audit_log WHERE entity_id = $1 AND action = 'approval.rejected'`,
      [REJECTED],
    );
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({ returnedTo: 'user-operator1', reason: REASON }),
    ]);
  });

  it('goes to the open queue when its operator has been deactivated', async () => {
    // Deactivated while the write-off waits for a lead (a deactivated user can no longer push).
    await resolveAndReject(FALLBACK, async () => {
      await app.db.query(`UPDATE users SET deactivated_at = now() WHERE id = 'user-operator1'`);
    });
    const [taken] = await next('other-operator', 1);
    expect(taken?.exception).toMatchObject({ id: FALLBACK, assigneeId: otherId });
    expect(taken?.returned).toBeUndefined();
  });
});
