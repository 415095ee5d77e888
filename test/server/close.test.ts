import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeReadinessSchema, type CloseReadiness } from '@shared/close/close';
import { nextResponseSchema, type LeasedItem } from '@shared/api/work';
import { pushResponseSchema } from '@shared/sync/mutations';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { importFile } from '../../server/src/features/ingest/import-file';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { insertItem } from './helpers/kpi-dataset';
import { mutation, plain, resolve } from './helpers/mutations';

const OCT = '2026-10';
const payments = (day: string, id: string): Uint8Array =>
  new TextEncoder().encode(`paymentID,paymentDate,totalPayment,currency\n${id},${day},10.00,USD\n`);

describe.each(databaseTargets())('month-end close on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  let admin: string;
  let operator: string;
  const close = (path: string, token: string, body?: unknown) =>
    request(app.url, `/api/close/${path}`, { token, ...(body === undefined ? {} : { body }) });
  const readiness = async (): Promise<CloseReadiness> => {
    const res = await close(OCT, lead);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return closeReadinessSchema.parse(res.body);
  };

  beforeAll(async () => {
    app = await startTestApp(target);
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    admin = (await login(app.url, 'admin1', DEMO_PASSWORD)).accessToken;
    operator = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    const oct = (id: string, type: string, variance: [string, string], status = 'open') =>
      insertItem(app.db, {
        id,
        type,
        status,
        channel: 'azure',
        partner: 'T1',
        opened: '2026-10-05T00:00:00Z',
        variance,
      });
    await oct('EX-0201', 'unmapped_sku', ['1', 'USD']);
    await oct('EX-0202', 'rate_mismatch', ['-500', 'USD']);
    await oct('EX-0203', 'rate_mismatch', ['50', 'USD']);
    await oct('EX-0204', 'rate_mismatch', ['10', 'JPY']);
    await oct('EX-0205', 'rate_mismatch', ['900', 'USD'], 'resolved');
    const settings = await request(app.url, '/api/close/settings', {
      method: 'PUT',
      token: admin,
      body: {
        expectedFeeds: [{ format: 'azure-payments', label: 'Azure payments' }],
        materiality: [{ currency: 'USD', threshold: '100' }],
      },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists what blocks the period: a missing feed, an unmapped record, material items neither resolved nor explained', async () => {
    const r = await readiness();
    expect(r).toMatchObject({ period: OCT, state: 'open', ready: false, blockingTotal: 4 });
    expect(r.blocking).toEqual([
      { kind: 'feed_missing', format: 'azure-payments', label: 'Azure payments' },
      { kind: 'unmapped', exceptionId: 'EX-0201', type: 'unmapped_sku' },
      { kind: 'material_unfinished', exceptionId: 'EX-0202', variance: { amount: '-500', currency: 'USD' } },
      // No JPY threshold: every JPY amount is material.
      { kind: 'material_unfinished', exceptionId: 'EX-0204', variance: { amount: '10', currency: 'JPY' } },
    ]);
  });

  it('refuses sign-off while an item blocks, naming it', async () => {
    const err = expectApiError(await close(`${OCT}/sign-off`, lead, { as: 'preparer' }), 409, 'conflict');
    expect(err.message).toContain('feed "Azure payments" (azure-payments) has not been received');
    expect(err.issues?.map((i) => i.message)).toContain('EX-0201 (unmapped_sku) is not mapped yet');
    expect((await readiness()).state).toBe('open');
  });

  it('clears as the feed arrives, the record is mapped and material items are explained', async () => {
    expect(
      (
        await importFile(app.db, {
          fileName: 'oct.csv',
          bytes: payments('2026-10-31', 'P-1'),
          importedBy: 't',
        })
      ).outcome,
    ).toBe('imported');
    await app.db.query(`UPDATE exceptions SET status = 'resolved' WHERE id = 'EX-0201'`);
    for (const exceptionId of ['EX-0202', 'EX-0204']) {
      const res = await close(`${OCT}/explanations`, lead, {
        exceptionId,
        text: 'timing difference, clears in November',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const other = await close(`${OCT}/explanations`, lead, { exceptionId: 'EX-9999', text: 'no such item' });
    expectApiError(other, 404, 'not_found');
    expect(await readiness()).toMatchObject({ ready: true, blocking: [], blockingTotal: 0 });
  });

  it('needs two different people: the preparer cannot review', async () => {
    const prepared = await close(`${OCT}/sign-off`, lead, { as: 'preparer' });
    expect(prepared.status, JSON.stringify(prepared.body)).toBe(200);
    expect(closeReadinessSchema.parse(prepared.body)).toMatchObject({
      state: 'prepared',
      preparer: { id: 'user-lead1' },
    });
    expectApiError(await close(`${OCT}/sign-off`, lead, { as: 'reviewer' }), 403, 'forbidden');
    expectApiError(await close(`${OCT}/sign-off`, admin, { as: 'preparer' }), 409, 'conflict');
    const reviewed = await close(`${OCT}/sign-off`, admin, { as: 'reviewer' });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    expect(closeReadinessSchema.parse(reviewed.body)).toMatchObject({
      state: 'locked',
      preparer: { id: 'user-lead1' },
      reviewer: { id: 'user-admin1' },
    });
  });

  it('a locked period refuses changes: explanations, imports for it, pushed results for its items', async () => {
    const explained = await close(`${OCT}/explanations`, lead, {
      exceptionId: 'EX-0203',
      text: 'after the lock',
    });
    expect(expectApiError(explained, 409, 'conflict').message).toContain('period 2026-10 is locked');

    const late = await importFile(app.db, {
      fileName: 'late.csv',
      bytes: payments('2026-10-15', 'P-2'),
      importedBy: 't',
    });
    expect(late.outcome).toBe('rejected');
    expect(late.problems[0]).toMatchObject({
      row: 2,
      message: expect.stringContaining('period 2026-10 is locked'),
    });
    const staged = await app.db.query(`SELECT 1 FROM ingest_payouts WHERE payout_ref = 'P-2'`);
    expect(staged).toHaveLength(0);
    const november = await importFile(app.db, {
      fileName: 'nov.csv',
      bytes: payments('2026-11-02', 'P-3'),
      importedBy: 't',
    });
    expect(november.outcome).toBe('imported');

    const result = await pushResult('EX-0203');
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toContain('period 2026-10 is locked');
    const [row] = await app.db.query<{ status: string }>(
      `SELECT status FROM exceptions WHERE id = 'EX-0203'`,
    );
    expect(row?.status).not.toBe('resolved');
  });

  it('reopens only with a reason, audited; changes go through again', async () => {
    expectApiError(await close(`${OCT}/reopen`, lead, { reason: '' }), 400, 'invalid_request');
    const reopened = await close(`${OCT}/reopen`, lead, { reason: 'late Azure credit note' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(closeReadinessSchema.parse(reopened.body)).toMatchObject({
      state: 'open',
      preparer: null,
      reviewer: null,
    });
    expectApiError(await close(`${OCT}/reopen`, lead, { reason: 'again' }), 409, 'conflict');

    const again = await pushResult('EX-0203');
    expect(again.outcome).toBe('applied');

    const audit = await app.db.query<{ action: string; details: { reason?: string } }>(
      `SELECT action, details FROM audit_log WHERE entity = 'close_period' AND entity_id = $1 ORDER BY id`,
      [OCT],
    );
    expect(audit.map((a) => a.action)).toEqual(['close.prepare', 'close.review', 'close.reopen']);
    expect(audit[2]?.details.reason).toBe('late Azure credit note');
    const signoffs = await app.db.query<{ kind: string }>(
      `SELECT kind FROM close_signoffs WHERE period = $1 ORDER BY id`,
      [OCT],
    );
    expect(signoffs.map((s) => s.kind)).toEqual(['prepare', 'review', 'reopen']);
    await expect(app.db.query(`DELETE FROM close_signoffs`)).rejects.toThrow(/append-only/);
  });

  it('refuses impossible periods and other roles', async () => {
    for (const period of ['0000-01', '9999-12', '2026-13', '2026-1', '..%2F..']) {
      expectApiError(await close(period, lead), 400, 'invalid_request');
    }
    expectApiError(await close(OCT, operator), 403, 'forbidden');
    const dup = await request(app.url, '/api/close/settings', {
      method: 'PUT',
      token: admin,
      body: {
        expectedFeeds: [],
        materiality: [
          { currency: 'USD', threshold: '1' },
          { currency: 'USD', threshold: '2' },
        ],
      },
    });
    expectApiError(dup, 400, 'invalid_request');
    const settings = await request(app.url, '/api/close/settings', {
      method: 'PUT',
      token: lead,
      body: { expectedFeeds: [], materiality: [] },
    });
    expectApiError(settings, 403, 'forbidden');
  });

  const held = new Map<string, LeasedItem>();

  /** operator1 takes the item (get-next, once) and pushes a plain resolution; the push's result. */
  async function pushResult(id: string): Promise<{ outcome: string; reason: string | null }> {
    if (!held.has(id)) {
      const next = await request(app.url, '/api/work/next', { token: operator, body: { count: 5 } });
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      for (const item of nextResponseSchema.parse(next.body).items) held.set(item.exception.id, item);
    }
    const item = held.get(id);
    if (!item) throw new Error(`${id} was not leased to operator1`);
    const at = new Date();
    const body = resolve(item.exception, item.lease.leaseId, plain(), at);
    const pushed = await request(app.url, '/api/sync/push', {
      token: operator,
      body: { clientId: randomUUID(), mutations: [mutation(body, at)] },
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    const result = pushResponseSchema.parse(pushed.body).results[0];
    return { outcome: result?.outcome ?? 'none', reason: result?.reason ?? null };
  }
});
