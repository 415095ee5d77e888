import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiReportSchema, type KpiReport } from '@shared/kpis/report';
import { mergeKpiDeltas } from '../../server/src/features/kpis/aggregates';
import { bucketRange, percentileCont, type HistogramRow } from '../../server/src/features/kpis/percentiles';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { insertBilledLines, insertItem, insertResolution } from './helpers/kpi-dataset';

const NOW = new Date('2026-11-30T12:00:00Z');
const OP1 = 'user-operator1';
const NOV = 'from=2026-11-01&to=2026-11-30';
const TABLES = [
  'kpi_completions_daily',
  'kpi_resolutions_daily',
  'kpi_stock',
  'kpi_stock_rollup',
  'kpi_lines_daily',
];

/**
 * The KPI aggregates (migration 0017) follow every change after they were built: each test
 * merges the deltas first, changes the source tables as the app's writers do, and reads the
 * figure again; the last test checks the deltas add up to a rebuild from scratch.
 */
describe.each(databaseTargets())('KPI aggregates on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  const kpis = async (query = NOV): Promise<KpiReport> => {
    const res = await request(app.url, `/api/kpis?${query}`, { token: lead });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return kpiReportSchema.parse(res.body);
  };
  const merged = async (): Promise<void> => {
    await mergeKpiDeltas(app.db);
    for (const table of TABLES) {
      const [row] = await app.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE NOT merged`,
      );
      expect(row?.n, table).toBe(0);
    }
  };

  beforeAll(async () => {
    app = await startTestApp(target, { now: () => NOW });
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    await insertItem(app.db, {
      id: 'EX-A001',
      status: 'resolved',
      channel: 'aws',
      partner: 'P1',
      opened: '2026-11-01T00:00:00Z',
    });
    await insertResolution(app.db, {
      exceptionId: 'EX-A001',
      userId: OP1,
      action: 'write_off',
      at: '2026-11-02T00:00:00Z',
      handleMs: 60_000,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a resolution recorded after the merge counts at once, and the same after the next merge', async () => {
    await merged();
    const before = await kpis();
    expect(before.cycleTime).toMatchObject({ count: 1, medianSeconds: 86_400 });
    await insertItem(app.db, {
      id: 'EX-A002',
      status: 'resolved',
      channel: 'aws',
      partner: 'P1',
      opened: '2026-11-10T00:00:00Z',
    });
    await insertResolution(app.db, {
      exceptionId: 'EX-A002',
      userId: OP1,
      action: 'escalate',
      at: '2026-11-10T01:00:00Z',
      handleMs: 30_000,
    });
    await insertResolution(app.db, {
      exceptionId: 'EX-A002',
      userId: OP1,
      action: 'rebill',
      at: '2026-11-13T00:00:00Z',
      handleMs: 90_000,
    });
    const after = await kpis();
    // 1 d and 3 d: median 2 d, p90 = 1 d + 0.9 * 2 d.
    expect(after.cycleTime).toMatchObject({ count: 2, medianSeconds: 172_800, p90Seconds: 241_920 });
    expect(after.handleTime).toMatchObject({ count: 3, medianSeconds: 60, p90Seconds: 84 });
    expect(after.throughput.perDay.map((d) => [d.day, d.completed])).toEqual([
      ['2026-11-02', 1],
      ['2026-11-13', 1],
    ]);
    expect(after.partners.map((p) => [p.partner, p.escalations])).toEqual([['P1', 1]]);
    await merged();
    expect(await kpis()).toEqual(after);
  });

  it('an approval counts as a completion on the day a lead approves it, not before', async () => {
    await merged();
    await insertItem(app.db, {
      id: 'EX-A003',
      status: 'pending_approval',
      channel: 'gcp',
      partner: 'P2',
      opened: '2026-11-20T00:00:00Z',
    });
    const held = await insertResolution(app.db, {
      exceptionId: 'EX-A003',
      userId: OP1,
      action: 'write_off',
      at: '2026-11-21T00:00:00Z',
      handleMs: 45_000,
      needsApproval: true,
    });
    await app.db.query(
      `INSERT INTO approvals (exception_id, resolution_id, requested_by, requested_at, state)
       VALUES ('EX-A003', $1::bigint, $2, '2026-11-21T00:00:00Z', 'pending')`,
      [held, OP1],
    );
    const pending = await kpis();
    expect(pending.cycleTime.count).toBe(2);
    await app.db.query(
      `UPDATE approvals SET state = 'approved', decided_by = 'user-lead1', decided_at = '2026-11-25T00:00:00Z'
       WHERE resolution_id = $1::bigint`,
      [held],
    );
    await app.db.query(`UPDATE exceptions SET status = 'resolved' WHERE id = 'EX-A003'`);
    const approved = await kpis();
    expect(approved.cycleTime.count).toBe(3);
    expect(approved.throughput.perDay.at(-1)).toMatchObject({ day: '2026-11-25', completed: 1 });
    await merged();
    expect(await kpis()).toEqual(approved);
  });

  it('status and amount changes move backlog, aging, amounts at risk and automation', async () => {
    await merged();
    const base = await kpis();
    await insertItem(app.db, {
      id: 'EX-A004',
      status: 'open',
      channel: 'azure',
      partner: 'P3',
      opened: '2026-10-30T11:00:00Z',
      variance: ['-7.25', 'EUR'],
    });
    const opened = await kpis();
    expect(opened.backlog.total).toBe(base.backlog.total + 1);
    // Opened 31 days and an hour before NOW: the edge day, read item by item.
    expect(opened.aging.buckets[1]?.count).toBe((base.aging.buckets[1]?.count ?? 0) + 1);
    expect(opened.amountsAtRisk).toContainEqual(
      expect.objectContaining({ currency: 'EUR', amount: '7.25', items: 1 }),
    );
    // A reconciliation re-run changes the variance; a later one clears the item.
    await app.db.query(`UPDATE exceptions SET variance_amount = 3.5 WHERE id = 'EX-A004'`);
    expect((await kpis()).amountsAtRisk).toContainEqual(
      expect.objectContaining({ currency: 'EUR', amount: '3.5' }),
    );
    await merged();
    await app.db.query(`UPDATE exceptions SET status = 'auto_cleared' WHERE id = 'EX-A004'`);
    const cleared = await kpis('from=2026-10-01&to=2026-11-30');
    expect(cleared.backlog.total).toBe(base.backlog.total);
    expect(cleared.amountsAtRisk.find((a) => a.currency === 'EUR')).toBeUndefined();
    expect(cleared.automation.bySource.find((s) => s.source === 'azure')?.rate).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
  });

  it('billing accuracy follows exceptions named after the lines were imported, and lines imported after', async () => {
    await insertBilledLines(app.db, 'a1', [
      { invoice: 'INV-A1', periodStart: '2026-11-01', partner: 'P1' },
      { invoice: 'INV-A2', periodStart: '2026-11-02', partner: 'P1' },
    ]);
    expect((await kpis()).billingAccuracy.invoices).toMatchObject({ numerator: 2, denominator: 2 });
    await insertItem(app.db, {
      id: 'EX-A005',
      status: 'open',
      channel: 'aws',
      partner: 'P1',
      opened: '2026-11-05T00:00:00Z',
      invoice: 'INV-A2',
    });
    await insertItem(app.db, {
      id: 'EX-A006',
      status: 'open',
      channel: 'aws',
      partner: 'P1',
      opened: '2026-11-05T00:00:00Z',
      invoice: 'INV-A3',
    });
    await insertResolution(app.db, {
      exceptionId: 'EX-A006',
      userId: OP1,
      action: 'credit_memo_request',
      at: '2026-11-06T00:00:00Z',
    });
    await insertBilledLines(app.db, 'a2', [{ invoice: 'INV-A3', periodStart: '2026-11-03', partner: 'P1' }]);
    const k = await kpis();
    expect(k.billingAccuracy.invoices).toMatchObject({ numerator: 1, denominator: 3 });
    expect(k.billingAccuracy.creditMemos).toMatchObject({ numerator: 1, denominator: 3 });
    expect(k.billingAccuracy.drill.ids).toEqual(['EX-A005', 'EX-A006']);
    // An invoice with lines on a second day counts once in a period holding both days.
    await insertBilledLines(app.db, 'a3', [{ invoice: 'INV-A2', periodStart: '2026-11-04', partner: 'P1' }]);
    expect((await kpis()).billingAccuracy.invoices).toMatchObject({ numerator: 1, denominator: 3 });
    expect((await kpis('from=2026-11-04&to=2026-11-30')).billingAccuracy.invoices).toMatchObject({
      numerator: 0,
      denominator: 1,
    });
  });

  it('the deltas add up to the aggregates rebuilt from scratch', async () => {
    const incremental = await kpis('from=2026-10-01&to=2026-11-30');
    await app.db.query('SELECT kpi_rebuild()');
    expect(await kpis('from=2026-10-01&to=2026-11-30')).toEqual(incremental);
  });

  it('every duration falls in its bucket, and a percentile is off by less than a bucket', async () => {
    const values = [
      0,
      1,
      1023,
      1024,
      1025,
      2047,
      2048,
      4096,
      65_535,
      65_536,
      86_400_000,
      2 ** 40,
      2 ** 40 - 1,
    ];
    for (let i = 0; i < 500; i += 1) values.push(Math.floor(((i * 7919) % 1000) ** 2.5));
    const rows = await app.db.query<{ v: number; bucket: number }>(
      'SELECT v::float8 AS v, kpi_bucket(v) AS bucket FROM unnest($1::bigint[]) v',
      [values],
    );
    const hist = new Map<number, HistogramRow>();
    for (const { v, bucket } of rows) {
      const [lo, hi] = bucketRange(bucket);
      expect(v >= lo && v < hi, `${v} in bucket ${bucket} [${lo}, ${hi})`).toBe(true);
      expect(hi - lo <= Math.max(1, lo / 512)).toBe(true);
      const h = hist.get(bucket) ?? { bucket, n: 0, min_ms: v, max_ms: v };
      hist.set(bucket, {
        bucket,
        n: h.n + 1,
        min_ms: Math.min(h.min_ms ?? v, v),
        max_ms: Math.max(h.max_ms ?? v, v),
      });
    }
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [0.5, 0.9]) {
      const pos = p * (sorted.length - 1);
      const a = sorted[Math.floor(pos)] ?? 0;
      const exact = a + (pos - Math.floor(pos)) * ((sorted[Math.ceil(pos)] ?? 0) - a);
      const estimate = percentileCont([...hist.values()], p) ?? NaN;
      expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(Math.max(1, exact / 512));
    }
  });
});
