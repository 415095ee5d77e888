import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiDrillSchema, type KpiDrill } from '@shared/kpis/drill';
import type { ExceptionFilter } from '@shared/kpis/filters';
import { kpiReportSchema } from '@shared/kpis/report';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { insertItem } from './helpers/kpi-dataset';

const NOW = new Date('2026-11-30T12:00:00Z');

/**
 * GET /api/kpis/drill: the ids behind a figure, so the dashboard's drill-down opens exactly the
 * items the figure counted (here: the backlog and an aging bucket of one partner).
 */
describe.each(databaseTargets())('KPI drill-down ids on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  let operator: string;
  const drill = async (filter: ExceptionFilter | string): Promise<KpiDrill> => {
    const text = typeof filter === 'string' ? filter : JSON.stringify(filter);
    const res = await request(app.url, `/api/kpis/drill?filter=${encodeURIComponent(text)}`, { token: lead });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return kpiDrillSchema.parse(res.body);
  };

  beforeAll(async () => {
    app = await startTestApp(target, { now: () => NOW });
    const item = (id: string, status: string, partner: string, opened: string) =>
      insertItem(app.db, { id, status, channel: 'aws', partner, opened });
    await item('EX-0001', 'open', 'P1', '2026-11-25T00:00:00Z');
    await item('EX-0002', 'assigned', 'P1', '2026-09-01T00:00:00Z');
    await item('EX-0003', 'resolved', 'P1', '2026-11-20T00:00:00Z');
    await item('EX-0004', 'open', 'P2', '2026-11-26T00:00:00Z');
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    operator = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers the ids behind a figure of the report, in id order, with their total', async () => {
    const res = await request(app.url, '/api/kpis?from=2026-11-01&to=2026-11-30&partner=P1', { token: lead });
    const report = kpiReportSchema.parse(res.body);
    expect(report.backlog.total).toBe(2);
    expect(await drill(report.backlog.drill)).toEqual({ ids: ['EX-0001', 'EX-0002'], total: 2 });
    const young = report.aging.buckets.find((b) => b.bucket === '0-30');
    expect(young?.count).toBe(1);
    expect(await drill(young?.drill ?? {})).toEqual({ ids: ['EX-0001'], total: 1 });
    expect(await drill({ ids: ['EX-0004', 'EX-0003'] })).toEqual({ ids: ['EX-0003', 'EX-0004'], total: 2 });
    expect(await drill({ partner: 'P9' })).toEqual({ ids: [], total: 0 });
  });

  it('refuses a filter that is not JSON or not a filter, naming the field, and anyone but leads and admins', async () => {
    for (const bad of ['{not json', '{"partner":"P1","bogus":1}', '{"statuses":["nope"]}']) {
      const err = expectApiError(
        await request(app.url, `/api/kpis/drill?filter=${encodeURIComponent(bad)}`, { token: lead }),
        400,
        'invalid_request',
      );
      expect(JSON.stringify(err.issues ?? err.message)).toContain('filter');
    }
    expectApiError(await request(app.url, '/api/kpis/drill', { token: lead }), 400, 'invalid_request');
    expectApiError(
      await request(app.url, `/api/kpis/drill?filter=${encodeURIComponent('{}')}`, { token: operator }),
      403,
      'forbidden',
    );
  });
});
