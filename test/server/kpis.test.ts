import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiReportSchema, myKpisSchema, type KpiReport } from '@shared/kpis/report';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import {
  insertApproval,
  insertBilledLines,
  insertDraw,
  insertItem,
  insertResolution,
} from './helpers/kpi-dataset';

const NOW = new Date('2026-11-30T12:00:00Z');
const OP1 = 'user-operator1';
const OP2 = 'user-operator2';
const NOV = 'from=2026-11-01&to=2026-11-30';

/**
 * A small month worked by hand (figures in the tests below are computed from this list):
 * completions in November (opened -> completed, SLA):
 *   EX-0001 op1 1 d (met), EX-0002 op2 3 d (missed), EX-0003 op1 2 d via approval on 11-12 (met),
 *   EX-0005 op2 dispute 1 d (met), EX-0012 op1 1 d on 11-30 (met);
 * EX-0004 escalated (not a completion); EX-0011 completed in October (outside the period).
 */
async function seed(app: TestApp): Promise<void> {
  const db = app.db;
  await db.query(
    `UPDATE users SET team = CASE id WHEN $1 THEN 'alpha' ELSE 'beta' END WHERE id IN ($1, $2)`,
    [OP1, OP2],
  );
  const item = (id: string, status: string, channel: string, partner: string, opened: string, more = {}) =>
    insertItem(db, { id, status, channel, partner, opened, ...more });
  await item('EX-0001', 'resolved', 'aws', 'P1', '2026-11-01T00:00:00Z', {
    sla: '2026-11-03T00:00:00Z',
    invoice: 'INV-1',
  });
  await item('EX-0002', 'resolved', 'aws', 'P1', '2026-11-01T00:00:00Z', {
    sla: '2026-11-02T00:00:00Z',
    invoice: 'INV-2',
  });
  await item('EX-0003', 'resolved', 'azure', 'P2', '2026-11-10T00:00:00Z', { sla: '2026-11-20T00:00:00Z' });
  await item('EX-0004', 'escalated', 'azure', 'P2', '2026-11-05T00:00:00Z', { variance: ['1', 'USD'] });
  await item('EX-0005', 'resolved', 'aws', 'P1', '2026-11-20T00:00:00Z', { sla: '2026-11-22T00:00:00Z' });
  await item('EX-0006', 'auto_cleared', 'gcp', 'P3', '2026-11-15T00:00:00Z');
  await item('EX-0007', 'open', 'aws', 'P1', '2026-11-25T00:00:00Z', { variance: ['10.005', 'USD'] });
  // Exactly 31 days before NOW: the first day of the 31-60 bucket.
  await item('EX-0008', 'assigned', 'aws', 'P1', '2026-10-30T12:00:00Z', {
    variance: ['-2.0000000001', 'USD'],
    assignee: OP1,
  });
  await item('EX-0009', 'open', 'gcp', 'P3', '2026-09-01T00:00:00Z', { variance: ['5', 'EUR'] });
  await item('EX-0010', 'rework', 'aws', 'P1', '2026-08-01T00:00:00Z', { variance: ['100', 'JPY'] });
  await item('EX-0011', 'resolved', 'aws', 'P1', '2026-09-15T00:00:00Z');
  await item('EX-0012', 'resolved', 'aws', 'P1', '2026-11-29T09:00:00Z', { sla: '2026-12-01T00:00:00Z' });

  const res = (
    exceptionId: string,
    userId: string,
    action: string,
    at: string,
    handleMs: number,
    more = {},
  ) => insertResolution(db, { exceptionId, userId, action, at, handleMs, ...more });
  await res('EX-0001', OP1, 'credit_memo_request', '2026-11-02T00:00:00Z', 60_000);
  await res('EX-0002', OP2, 'rebill', '2026-11-04T00:00:00Z', 120_000);
  const held = await res('EX-0003', OP1, 'write_off', '2026-11-11T00:00:00Z', 180_000, {
    needsApproval: true,
  });
  await insertApproval(db, {
    exceptionId: 'EX-0003',
    resolutionId: held,
    requestedBy: OP1,
    decidedBy: 'user-lead1',
    decidedAt: '2026-11-12T00:00:00Z',
  });
  await res('EX-0004', OP1, 'escalate', '2026-11-06T00:00:00Z', 240_000);
  await res('EX-0005', OP2, 'partner_dispute', '2026-11-21T00:00:00Z', 300_000);
  await res('EX-0011', OP2, 'rebill', '2026-10-15T00:00:00Z', 999_000);
  await res('EX-0012', OP1, 'credit_memo_request', '2026-11-30T09:00:00Z', 90_000);

  await insertBilledLines(db, 'ab', [
    { invoice: 'INV-1', periodStart: '2026-11-01', partner: 'P1' },
    { invoice: 'INV-1', periodStart: '2026-11-01', partner: 'P1' },
    { invoice: 'INV-2', periodStart: '2026-11-01', partner: 'P1' },
    { invoice: 'INV-3', periodStart: '2026-11-01', partner: 'P1' },
    { invoice: 'INV-4', periodStart: '2026-11-01', partner: 'P1' },
    { invoice: 'INV-5', periodStart: '2026-10-01', partner: 'P1' },
  ]);
  await insertDraw(db, '2026-11-02', ['EX-0001', 'EX-0002', 'EX-0010']);
  await insertDraw(db, '2026-10-20', ['EX-0011']);
}

describe.each(databaseTargets())('KPIs on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  let operator: string;
  const kpis = async (query: string): Promise<KpiReport> => {
    const res = await request(app.url, `/api/kpis?${query}`, { token: lead });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return kpiReportSchema.parse(res.body);
  };

  beforeAll(async () => {
    app = await startTestApp(target, { now: () => NOW });
    await seed(app);
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    operator = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('cycle time: opened -> completed (approval time for approved items), median and p90', async () => {
    const k = await kpis(NOV);
    // 1 d, 1 d, 1 d, 2 d, 3 d: median 1 d; p90 at rank 3.6 = 2 d + 0.6 d.
    expect(k.cycleTime).toMatchObject({ count: 5, medianSeconds: 86_400, p90Seconds: 224_640 });
    expect(k.cycleTime.drill).toMatchObject({
      resolvedFrom: '2026-11-01T00:00:00.000Z',
      resolvedBefore: '2026-12-01T00:00:00.000Z',
    });
  });

  it('handle time: active time of every resolution in the period, escalations included', async () => {
    const k = await kpis(NOV);
    // 60, 90, 120, 180, 240, 300 s: median 150; p90 at rank 4.5 = 240 + 30.
    expect(k.handleTime).toMatchObject({ count: 6, medianSeconds: 150, p90Seconds: 270 });
  });

  it('SLA attainment: completions at or before their SLA / all completions', async () => {
    const k = await kpis(NOV);
    expect(k.slaAttainment.rate).toEqual({ numerator: 4, denominator: 5, percent: '80.00' });
  });

  it('throughput per operator, team and day, each with its drill-down', async () => {
    const k = await kpis(NOV);
    expect(k.throughput.perOperator.map((o) => [o.operatorId, o.name, o.completed])).toEqual([
      [OP1, 'Priya Raman', 3],
      [OP2, 'Miguel Santos', 2],
    ]);
    expect(k.throughput.perOperator[0]?.drill.resolvedBy).toBe(OP1);
    expect(k.throughput.perTeam.map((t) => [t.team, t.completed])).toEqual([
      ['alpha', 3],
      ['beta', 2],
    ]);
    expect(k.throughput.perDay.map((d) => [d.day, d.completed])).toEqual([
      ['2026-11-02', 1],
      ['2026-11-04', 1],
      ['2026-11-12', 1],
      ['2026-11-21', 1],
      ['2026-11-30', 1],
    ]);
    expect(k.throughput.perDay[0]?.drill).toMatchObject({
      resolvedFrom: '2026-11-02T00:00:00.000Z',
      resolvedBefore: '2026-11-03T00:00:00.000Z',
    });
  });

  it('aging buckets by whole days since opened; 31 days exactly is in 31-60', async () => {
    const k = await kpis(NOV);
    expect(k.aging.asOf).toBe(NOW.toISOString());
    expect(k.aging.buckets.map((b) => [b.bucket, b.count])).toEqual([
      ['0-30', 2],
      ['31-60', 1],
      ['61-90', 1],
      ['91-120', 0],
      ['121+', 1],
    ]);
    expect(k.aging.buckets[1]?.drill).toMatchObject({
      openedAfter: '2026-09-30T12:00:00.000Z',
      openedAtOrBefore: '2026-10-30T12:00:00.000Z',
    });
  });

  it('backlog: unfinished items by status', async () => {
    const k = await kpis(NOV);
    expect(k.backlog.total).toBe(5);
    expect(k.backlog.byStatus).toEqual([
      { status: 'open', count: 2 },
      { status: 'assigned', count: 1 },
      { status: 'escalated', count: 1 },
      { status: 'rework', count: 1 },
    ]);
  });

  it('amounts at risk: exact |variance| sums per currency, never across currencies', async () => {
    const k = await kpis(NOV);
    expect(k.amountsAtRisk.map((a) => [a.currency, a.amount, a.items])).toEqual([
      ['EUR', '5', 1],
      ['JPY', '100', 1],
      ['USD', '13.0050000001', 3],
    ]);
    expect(k.amountsAtRisk[2]?.drill.currency).toBe('USD');
  });

  it('escalations and disputes per partner', async () => {
    const k = await kpis(NOV);
    expect(k.partners.map((p) => [p.partner, p.escalations, p.disputes])).toEqual([
      ['P1', 0, 1],
      ['P2', 1, 0],
    ]);
    expect(k.partners[1]?.escalationsDrill).toMatchObject({ partner: 'P2', resolutionActions: ['escalate'] });
  });

  it('automation rate counts lines per source (today: exceptions, automated = auto-cleared)', async () => {
    const k = await kpis(NOV);
    expect(k.automation.unit).toBe('lines');
    expect(k.automation.total).toEqual({ numerator: 1, denominator: 8, percent: '12.50' });
    expect(k.automation.bySource.map((s) => [s.source, s.rate.numerator, s.rate.denominator])).toEqual([
      ['aws', 0, 5],
      ['azure', 0, 2],
      ['gcp', 1, 1],
    ]);
  });

  it('billing accuracy: invoices no exception names / invoices in the period; credit-memo and rebill rates', async () => {
    const k = await kpis(NOV);
    expect(k.billingAccuracy.invoices).toEqual({ numerator: 2, denominator: 4, percent: '50.00' });
    expect(k.billingAccuracy.creditMemos).toEqual({ numerator: 1, denominator: 4, percent: '25.00' });
    expect(k.billingAccuracy.rebills).toEqual({ numerator: 1, denominator: 4, percent: '25.00' });
    expect(k.billingAccuracy.drill.ids).toEqual(['EX-0001', 'EX-0002']);
  });

  it('first-pass yield: sampled items with no rework / sampled items of the period', async () => {
    const k = await kpis(NOV);
    expect(k.firstPassYield.rate).toEqual({ numerator: 2, denominator: 3, percent: '66.67' });
    expect(k.firstPassYield.drill.ids).toEqual(['EX-0010']);
    // No QA reviews recorded yet: zero counts, no percentage.
    expect(k.qa.accuracy).toEqual({ numerator: 0, denominator: 0, percent: null });
  });

  it('filters narrow every figure: channel, partner, operator, team', async () => {
    const azure = await kpis(`${NOV}&channel=azure`);
    expect(azure.cycleTime.count).toBe(1);
    expect(azure.backlog.total).toBe(1);
    expect(azure.cycleTime.drill.channel).toBe('azure');
    const p1 = await kpis(`${NOV}&partner=P1`);
    // P1: op1 EX-0001 and EX-0012, op2 EX-0002 and EX-0005.
    expect(p1.throughput.perOperator.map((o) => o.completed)).toEqual([2, 2]);
    const op2 = await kpis(`${NOV}&operator=${OP2}`);
    expect(op2.throughput.perOperator.map((o) => o.operatorId)).toEqual([OP2]);
    expect(op2.handleTime.count).toBe(2);
    const alpha = await kpis(`${NOV}&team=alpha`);
    expect(alpha.throughput.perTeam).toEqual([expect.objectContaining({ team: 'alpha', completed: 3 })]);
    const october = await kpis('from=2026-10-01&to=2026-10-31');
    expect(october.cycleTime.count).toBe(1);
    expect(october.firstPassYield.rate.denominator).toBe(1);
  });

  it("an operator's own day: completed items and handle time today", async () => {
    const res = await request(app.url, '/api/kpis/me', { token: operator });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const me = myKpisSchema.parse(res.body);
    expect(me).toMatchObject({ day: '2026-11-30', completed: 1, certification: null });
    expect(me.handleTime).toEqual({ count: 1, medianSeconds: 90, p90Seconds: 90 });
  });

  it('refuses bad queries naming the field, and other roles', async () => {
    for (const [query, field] of [
      ['from=0000-01-01', 'from'],
      ['to=9999-12-31', 'to'],
      ['from=2026-11-30&to=2026-11-01', 'from'],
      ['channel=moon', 'channel'],
      ['partner=%00x', 'partner'],
      ['bogus=1', ''],
    ] as const) {
      const err = expectApiError(
        await request(app.url, `/api/kpis?${query}`, { token: lead }),
        400,
        'invalid_request',
      );
      expect(JSON.stringify(err.issues ?? err.message)).toContain(field);
    }
    expectApiError(await request(app.url, '/api/kpis', { token: operator }), 403, 'forbidden');
    expectApiError(await request(app.url, '/api/kpis/me', { token: lead }), 403, 'forbidden');
  });
});
