import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflictsResponseSchema } from '@shared/api/conflicts';
import { pullResponseSchema, type Change } from '@shared/api/sync';
import {
  nextResponseSchema,
  reassignResponseSchema,
  releaseResponseSchema,
  renewResponseSchema,
  type LeasedItem,
} from '@shared/api/work';
import { generateDemoExceptions } from '@shared/demo/generate';
import type { ExceptionRecord, ExceptionSummary } from '@shared/exception';
import type { ExceptionType } from '@shared/exception-types';
import { pushResponseSchema, type Mutation } from '@shared/sync/mutations';
import { verifyAuditChain } from '../../server/src/audit/verify';
import { insertExceptions } from '../../server/src/features/exceptions/repo';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { mutation, resolve, start, writeOff } from './helpers/mutations';

const HOUR = 3_600_000;

function record(
  base: ExceptionRecord,
  id: string,
  type: ExceptionType,
  priority: number,
  slaInHours: number,
): ExceptionRecord {
  const now = Date.now();
  return {
    ...base,
    id,
    type,
    status: 'open',
    assigneeId: null,
    version: 1,
    priority,
    slaDueAt: new Date(now + slaInHours * HOUR).toISOString(),
    openedAt: new Date(now - 48 * HOUR).toISOString(),
    updatedAt: new Date(now - 48 * HOUR).toISOString(),
  };
}

async function pullAll(url: string, token: string): Promise<Change[]> {
  const out: Change[] = [];
  let cursor = 0;
  for (;;) {
    const page = pullResponseSchema.parse(
      (await request(url, `/api/sync/pull?cursor=${cursor}&limit=500`, { token })).body,
    );
    out.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return out;
  }
}

/** What a client ends up holding after applying every change in order. */
function replay(changes: readonly Change[]): Map<string, ExceptionSummary> {
  const held = new Map<string, ExceptionSummary>();
  for (const c of changes) {
    if (c.op === 'upsert') held.set(c.entityId, c.data);
    else held.delete(c.entityId);
  }
  return held;
}

describe.each(databaseTargets())('allocation, push, conflicts and audit on $kind', (target) => {
  let app: TestApp;
  let url: string;
  const token: Record<string, string> = {};
  const items = new Map<string, LeasedItem>();

  const push = async (who: string, mutations: Mutation[], clientId = randomUUID()) => {
    const res = await request(url, '/api/sync/push', { token: token[who], body: { clientId, mutations } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return pushResponseSchema.parse(res.body).results;
  };
  const next = async (who: string, body: object) => {
    const res = await request(url, '/api/work/next', { token: token[who], body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const got = nextResponseSchema.parse(res.body).items;
    for (const item of got) items.set(item.exception.id, item);
    return got;
  };

  beforeAll(async () => {
    app = await startTestApp(target);
    url = app.url;
    const [base] = generateDemoExceptions({ count: 1, seed: 7, now: new Date() });
    if (!base) throw new Error('no base record');
    // Expected order for operator2 (usage/billing types only):
    //   band 0 (deadline passed): EX-ORD00E (p2), EX-ORD00A (p5)
    //   band 1 (within the 24 h goal window): EX-ORD00D (p1), EX-ORD00C (p3)
    //   band 2: EX-ORD00B (p1)
    // EX-CASH01 (short_payment, p1, overdue) is the most urgent of all, but not operator2's type.
    await app.db.transaction((tx) =>
      insertExceptions(tx, [
        record(base, 'EX-ORD00A', 'usage_mismatch', 5, -1),
        record(base, 'EX-ORD00B', 'rate_mismatch', 1, 48),
        record(base, 'EX-ORD00C', 'usage_mismatch', 3, 3),
        record(base, 'EX-ORD00D', 'late_metering', 1, 5),
        record(base, 'EX-ORD00E', 'credit_not_applied', 2, -0.2),
        record(base, 'EX-CASH01', 'short_payment', 1, -3),
      ]),
    );
    for (const who of ['operator1', 'operator2', 'lead1', 'qa1', 'trainer1', 'admin1'])
      token[who] = (await login(url, who, DEMO_PASSWORD)).accessToken;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('allocates by SLA band, then priority, then due time, only among the types the operator may work', async () => {
    const got = await next('operator2', { count: 10 });
    expect(got.map((i) => i.exception.id)).toEqual([
      'EX-ORD00E',
      'EX-ORD00A',
      'EX-ORD00D',
      'EX-ORD00C',
      'EX-ORD00B',
    ]);
    for (const item of got) {
      expect(item.exception.status).toBe('assigned');
      expect(item.exception.assigneeId).toBe('user-operator2');
      expect(item.exception.version).toBe(2);
      expect(item.lease.userId).toBe('user-operator2');
      const ttl = Date.parse(item.lease.expiresAt) - Date.now();
      expect(ttl).toBeGreaterThan(9.9 * HOUR);
      expect(ttl).toBeLessThanOrEqual(10 * HOUR);
    }
    expect(await next('operator2', { count: 5 })).toEqual([]);
    const op1 = await next('operator1', { count: 5, types: ['short_payment', 'usage_mismatch'] });
    expect(op1.map((i) => i.exception.id)).toEqual(['EX-CASH01']);
    expect(await next('admin1', { count: 1 })).toEqual([]); // admins hold the role but no work types
  });

  it('applies a start and a resolve once, and answers a replay as a duplicate with the first outcome', async () => {
    const e = items.get('EX-ORD00E');
    if (!e) throw new Error('EX-ORD00E not leased');
    const clientId = randomUUID();
    const batch = [
      mutation(start(e.exception.id, e.lease.leaseId)),
      mutation(resolve(e.exception, e.lease.leaseId, writeOff())),
    ];
    const first = await push('operator2', batch, clientId);
    expect(first.map((r) => r.outcome)).toEqual(['applied', 'applied']);
    const again = await push('operator2', batch, clientId);
    expect(again).toEqual(
      batch.map((m) => ({
        mutationId: m.mutationId,
        outcome: 'duplicate',
        reason: null,
        originalOutcome: 'applied',
      })),
    );
    const rows = await app.db.query<{
      status: string;
      lease_id: string | null;
      version: number;
      amount: string;
      n: string;
    }>(
      `SELECT e.status, e.lease_id, e.version, r.amount::text AS amount,
         (SELECT count(*) FROM exception_resolutions WHERE exception_id = e.id) AS n
       FROM exceptions e JOIN exception_resolutions r ON r.exception_id = e.id WHERE e.id = 'EX-ORD00E'`,
    );
    expect(rows).toEqual([
      {
        status: 'resolved',
        lease_id: null,
        version: 3,
        amount: new Decimal(e.exception.variance.amount).toFixed(10),
        n: '1',
      },
    ]);
  });

  it("rejects a mutation under a lease that was never the caller's, records it, and replays it stably", async () => {
    const a = items.get('EX-ORD00A');
    if (!a) throw new Error('EX-ORD00A not leased');
    const clientId = randomUUID();
    const m = mutation(resolve(a.exception, a.lease.leaseId, writeOff()));
    const [first] = await push('operator1', [m], clientId);
    expect(first?.outcome).toBe('rejected');
    expect(first?.reason).toMatch(/never yours/);
    const [again] = await push('operator1', [m], clientId);
    expect(again).toEqual({
      mutationId: m.mutationId,
      outcome: 'duplicate',
      reason: first?.reason,
      originalOutcome: 'rejected',
    });
    const unknown = await push('operator1', [mutation(start('EX-NOPE01', randomUUID()))]);
    expect(unknown[0]?.outcome).toBe('rejected');
    expect(unknown[0]?.reason).toMatch(/does not exist/);
  });

  it('keeps a result pushed under a lost lease as a superseded submission, visible to leads', async () => {
    const a = items.get('EX-ORD00A');
    if (!a) throw new Error('EX-ORD00A not leased');
    const moved = await request(url, '/api/work/reassign', {
      token: token.lead1,
      body: {
        exceptionId: 'EX-ORD00A',
        toUserId: 'user-operator1',
        reason: 'operator2 is offline past the SLA',
      },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const now = reassignResponseSchema.parse(moved.body);
    expect(now.lease.userId).toBe('user-operator1');
    expect(now.exception.assigneeId).toBe('user-operator1');

    const stale = mutation(
      resolve(a.exception, a.lease.leaseId, writeOff(undefined, 'done offline before the reassignment')),
    );
    const [result] = await push('operator2', [stale]);
    expect(result?.outcome).toBe('superseded');
    expect(result?.reason).toMatch(/no longer hold EX-ORD00A .*reassigned to operator1/);

    const state = await app.db.query<{ status: string; assignee_id: string }>(
      `SELECT status, assignee_id FROM exceptions WHERE id = 'EX-ORD00A'`,
    );
    expect(state).toEqual([{ status: 'assigned', assignee_id: 'user-operator1' }]);

    const list = await request(url, '/api/conflicts?exceptionId=EX-ORD00A', { token: token.lead1 });
    expect(list.status).toBe(200);
    const conflicts = conflictsResponseSchema.parse(list.body);
    expect(conflicts.items).toHaveLength(1);
    expect(conflicts.items[0]).toMatchObject({
      exceptionId: 'EX-ORD00A',
      userId: 'user-operator2',
      mutationId: stale.mutationId,
      leaseId: a.lease.leaseId,
      body: stale.body,
    });
    expectApiError(await request(url, '/api/conflicts', { token: token.operator2 }), 403, 'forbidden');

    const audit = await app.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = 'EX-ORD00A' ORDER BY id`,
    );
    expect(audit.map((r) => r.action)).toEqual([
      'lease.granted',
      'mutation.rejected',
      'lease.reassigned',
      'mutation.superseded',
    ]);
  });

  it('scopes the pull: an operator holds exactly what is leased to them, and is told when they lose an item', async () => {
    const op2 = replay(await pullAll(url, token.operator2 ?? ''));
    // EX-ORD00E stays visible to its resolver; EX-ORD00A went to operator1 and was deleted from operator2's copy.
    expect([...op2.keys()].sort()).toEqual(['EX-ORD00B', 'EX-ORD00C', 'EX-ORD00D', 'EX-ORD00E']);
    expect(op2.get('EX-ORD00E')?.status).toBe('resolved');
    const op1 = replay(await pullAll(url, token.operator1 ?? ''));
    expect([...op1.keys()].sort()).toEqual(['EX-CASH01', 'EX-ORD00A']);
    expect(op1.get('EX-ORD00A')?.assigneeId).toBe('user-operator1');
    const lead = await pullAll(url, token.lead1 ?? '');
    expect(lead.every((c) => c.op === 'upsert')).toBe(true);
    expect(replay(lead).size).toBe(6);
    expect(await pullAll(url, token.trainer1 ?? '')).toEqual([]);

    expectApiError(
      await request(url, '/api/exceptions/EX-ORD00A', { token: token.operator2 }),
      404,
      'not_found',
    );
    expect((await request(url, '/api/exceptions/EX-ORD00A', { token: token.operator1 })).status).toBe(200);
    expect((await request(url, '/api/exceptions/EX-ORD00A', { token: token.qa1 })).status).toBe(200);
  });

  it('renews held leases and says why a lost one is gone', async () => {
    const d = items.get('EX-ORD00D');
    const a = items.get('EX-ORD00A');
    if (!d || !a) throw new Error('missing leases');
    const res = await request(url, '/api/work/renew', {
      token: token.operator2,
      body: { leaseIds: [d.lease.leaseId, a.lease.leaseId, 'not-a-lease'] },
    });
    expect(res.status).toBe(200);
    const body = renewResponseSchema.parse(res.body);
    expect(body.renewed.map((l) => l.exceptionId)).toEqual(['EX-ORD00D']);
    expect(body.lost).toEqual([
      {
        leaseId: a.lease.leaseId,
        reason: expect.stringMatching(/reassigned to operator1 by lead1/) as unknown as string,
      },
      { leaseId: 'not-a-lease', reason: 'not a lease of yours' },
    ]);
  });

  it("re-allocates an expired lease, and the old holder's late result becomes a superseded submission", async () => {
    const d = items.get('EX-ORD00D');
    if (!d) throw new Error('EX-ORD00D not leased');
    await app.db.query(
      `UPDATE exceptions SET lease_expires_at = now() - interval '1 minute' WHERE id = 'EX-ORD00D'`,
    );
    const taken = await next('operator1', { count: 1 });
    expect(taken.map((i) => i.exception.id)).toEqual(['EX-ORD00D']);
    const [late] = await push('operator2', [mutation(resolve(d.exception, d.lease.leaseId, writeOff()))]);
    expect(late?.outcome).toBe('superseded');
    expect(late?.reason).toMatch(/expired/);
  });

  it('lets the holder or a lead release an item, and nobody else', async () => {
    expectApiError(
      await request(url, '/api/work/release', {
        token: token.operator2,
        body: { exceptionId: 'EX-CASH01', reason: 'not mine' },
      }),
      404,
      'not_found',
    );
    const own = await request(url, '/api/work/release', {
      token: token.operator1,
      body: { exceptionId: 'EX-CASH01', reason: 'needs the cash team' },
    });
    expect(own.status).toBe(200);
    expect(releaseResponseSchema.parse(own.body).exception).toMatchObject({
      status: 'open',
      assigneeId: null,
    });
    expectApiError(
      await request(url, '/api/work/release', {
        token: token.lead1,
        body: { exceptionId: 'EX-CASH01', reason: 'again' },
      }),
      409,
      'conflict',
    );
    const byLead = await request(url, '/api/work/release', {
      token: token.lead1,
      body: { exceptionId: 'EX-ORD00B', reason: 'rebalancing' },
    });
    expect(byLead.status).toBe(200);
    expect(replay(await pullAll(url, token.operator2 ?? '')).has('EX-ORD00B')).toBe(false);
  });

  it('refuses to reassign to someone who may not work the type', async () => {
    const res = await request(url, '/api/work/reassign', {
      token: token.lead1,
      body: { exceptionId: 'EX-CASH01', toUserId: 'user-operator2', reason: 'try it' },
    });
    expect(expectApiError(res, 409, 'conflict').message).toMatch(
      /not allowed to work on Short payment items/,
    );
    expectApiError(
      await request(url, '/api/work/reassign', {
        token: token.lead1,
        body: { exceptionId: 'EX-CASH01', toUserId: 'user-lead1', reason: 'take it myself' },
      }),
      409,
      'conflict',
    );
  });

  it('tells a connected client to pull when a change concerning it commits (server-sent events)', async () => {
    const controller = new AbortController();
    const res = await fetch(
      `${url}/api/sync/events?access_token=${encodeURIComponent(token.operator2 ?? '')}`,
      { signal: controller.signal },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
      for (;;) {
        const m = pattern.exec(text);
        if (m) return m;
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended before ${String(pattern)}: ${text}`);
        text += decoder.decode(chunk.value, { stream: true });
      }
    };
    const first = await waitFor(/event: changed\ndata: (\{[^\n]*\})\n\n/);
    const startSeq = (JSON.parse(first[1] ?? '{}') as { seq: number }).seq;
    expect(startSeq).toBeGreaterThan(0);
    text = text.slice(first.index + first[0].length);
    const moved = await request(url, '/api/work/reassign', {
      token: token.lead1,
      body: { exceptionId: 'EX-ORD00C', toUserId: 'user-operator1', reason: 'balance load' },
    });
    expect(moved.status).toBe(200);
    const second = await waitFor(/event: changed\ndata: (\{[^\n]*\})\n\n/);
    expect((JSON.parse(second[1] ?? '{}') as { seq: number }).seq).toBeGreaterThan(startSeq);
    controller.abort();
    expectApiError(await request(url, '/api/sync/events'), 401, 'unauthorized');
  });

  it('keeps an intact audit chain, refuses edits, and names the first row someone tampered with', async () => {
    const before = await verifyAuditChain(app.db);
    expect(before.ok).toBe(true);
    expect(before.rows).toBeGreaterThan(10);
    await expect(app.db.query(`UPDATE audit_log SET action = 'x' WHERE id = 3`)).rejects.toThrow(
      /append-only/,
    );
    await expect(app.db.query(`DELETE FROM audit_log WHERE id = 3`)).rejects.toThrow(/append-only/);
    await expect(app.db.query(`UPDATE audit_chain SET hash = 'x' WHERE position = 3`)).rejects.toThrow(
      /append-only/,
    );
    const victim = await app.db.query<{ id: string }>(
      `SELECT audit_id AS id FROM audit_chain ORDER BY position OFFSET 5 LIMIT 1`,
    );
    const id = victim[0]?.id ?? '';
    // Only someone able to disable the trigger (the table owner) can edit a row; the chain still shows it.
    await app.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
      await tx.query(
        `UPDATE audit_log SET details = jsonb_set(details, '{reason}', '"edited"') WHERE id = $1`,
        [id],
      );
      await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    });
    const after = await verifyAuditChain(app.db);
    expect(after).toMatchObject({
      ok: false,
      brokenId: id,
      reason: expect.stringMatching(/content/) as unknown as string,
    });
  });
});
