import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExceptionRecord } from '@shared/exception';
import { runReconResponseSchema, type ReconRun } from '@shared/api/recon';
import { kpiReportSchema } from '@shared/kpis/report';
import { pullResponseSchema } from '@shared/api/sync';
import { decimalPlaces, minorUnits, roundToMinor } from '@shared/ingest/precision';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { importFile } from '../../server/src/features/ingest/import-file';
import {
  EXCEPTION_COLUMNS,
  rowToRecord,
  type ExceptionRow,
} from '../../server/src/features/exceptions/row-mapping';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { csv, PERIOD, reconMonth, type AccountMapping, type SkuMapping } from '../support/recon-month';

describe.each(databaseTargets())('reconciling a month on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  const month = reconMonth();

  const importAll = async (): Promise<string[]> => {
    const outcomes: string[] = [];
    for (const f of month.files) {
      const s = await importFile(app.db, { ...f, importedBy: 'test:lead1' });
      expect(s.problems, f.fileName).toEqual([]);
      outcomes.push(s.outcome);
    }
    return outcomes;
  };

  const run = async (): Promise<ReconRun> => {
    const res = await request(app.url, '/api/recon/runs', { token: lead, body: { period: PERIOD } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return runReconResponseSchema.parse(res.body).run;
  };

  const map = async (accounts: AccountMapping[], skus: SkuMapping[]): Promise<void> => {
    for (const body of accounts) {
      const res = await request(app.url, '/api/recon/mappings/accounts', {
        method: 'PUT',
        token: lead,
        body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    for (const body of skus) {
      const res = await request(app.url, '/api/recon/mappings/skus', { method: 'PUT', token: lead, body });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  };

  /** Every exception a reconciliation wrote, validated as the desks will read it. */
  const reconExceptions = async (): Promise<ExceptionRecord[]> => {
    const rows = await app.db.query<ExceptionRow>(
      `SELECT ${EXCEPTION_COLUMNS.join(', ')} FROM exceptions WHERE id IN (SELECT exception_id FROM recon_exceptions)
       ORDER BY id`,
    );
    return rows.map(rowToRecord);
  };

  beforeAll(async () => {
    app = await startTestApp(target);
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    expect(new Set(await importAll())).toEqual(new Set(['imported']));
    await map(month.accounts, month.skus);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('opens exactly one exception per planted discrepancy, of its type, variance and evidence', async () => {
    const first = await run();
    expect(first).toMatchObject({
      period: PERIOD,
      opened: month.planted.length,
      updated: 0,
      closed: 0,
      suggested: month.suggested,
      skipped: 0,
    });
    const opened = await reconExceptions();
    expect(opened.map((e) => e.type).sort()).toEqual(month.planted.map((p) => p.type).sort());
    for (const planted of month.planted) {
      const e = opened.find(
        (x) => x.type === planted.type && x.evidence.some((row) => row.reference === planted.evidence),
      ) as ExceptionRecord;
      expect(e, `${planted.type} ${planted.evidence}`).toBeDefined();
      expect(e.variance, planted.type).toEqual({ amount: planted.variance, currency: planted.currency });
      expect(e.status).toBe('open');
      expect(
        e.evidence.map((row) => row.reference),
        planted.type,
      ).toContain(planted.evidence);
      for (const row of e.evidence) expect(Object.keys(row.fields).length, planted.type).toBeGreaterThan(3);
      // The variance a person settles is in minor units.
      expect(decimalPlaces(e.variance.amount)).toBeLessThanOrEqual(minorUnits(e.variance.currency));
    }
    // Matches within tolerance clear without an exception: usage 2 tokens apart, an invoice line
    // 0.4 cent over its rate, a 0.015 listing fee charged as 0.02, a payout paid in full, an
    // invoice totalled by its contract's sum-of-rounded-lines rule and paid a cent short, a line
    // billed under the deal's private offer, a credit applied in full, tax as billed, an FX
    // conversion that rounds to the stated cent. Two usage groups, nine invoice lines, five
    // listing fees, one payout, eight invoice totals, and one each of discount, credit, payment,
    // tax and FX.
    expect(first.matched).toBe(30);
  });

  it('puts the new exceptions in the change feed a lead pulls', async () => {
    const res = await request(app.url, '/api/sync/pull?limit=1000', { token: lead });
    const pulled = pullResponseSchema.parse(res.body);
    const ids = new Set(pulled.changes.map((c) => c.entityId));
    for (const e of await reconExceptions()) expect(ids.has(e.id), e.id).toBe(true);
  });

  it('changes nothing when the run is repeated or the same files come in again', async () => {
    const before = await reconExceptions();
    const again = await run();
    expect(again).toMatchObject({ opened: 0, updated: 0, closed: 0, unchanged: month.planted.length });
    expect(new Set(await importAll())).toEqual(new Set(['already_imported']));
    const third = await run();
    expect(third).toMatchObject({ opened: 0, updated: 0, closed: 0, unchanged: month.planted.length });
    expect(await reconExceptions()).toEqual(before);
  });

  it('closes the unmapped exceptions once the mappings are added, and opens nothing new', async () => {
    await map(month.lateAccounts, month.lateSkus);
    const after = await run();
    // The newly mapped account's and SKU's usage now matches too.
    expect(after).toMatchObject({ opened: 0, closed: 2, unchanged: month.planted.length - 2, matched: 32 });
    const all = await reconExceptions();
    const byType = new Map(all.map((e) => [e.type, e]));
    expect(byType.get('unmapped_account')?.status).toBe('auto_cleared');
    expect(byType.get('unmapped_sku')?.status).toBe('auto_cleared');
    const stillOpen = all.filter((e) => e.status === 'open').map((e) => e.type);
    expect(stillOpen).toHaveLength(month.planted.length - 2);
  });

  it("counts the automation rate over the lines the latest run compared (unmatched: its exceptions' lines)", async () => {
    const res = await request(app.url, '/api/kpis?from=2026-01-01&to=2026-06-30', { token: lead });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const lines = kpiReportSchema.parse(res.body).automation.reconciledLines;
    const open = (await reconExceptions()).filter((e) => e.status === 'open');
    const flagged = new Set(open.flatMap((e) => e.evidence.map((row) => row.id)));
    expect(lines?.total.numerator).toBeGreaterThan(0);
    expect((lines?.total.denominator ?? 0) - (lines?.total.numerator ?? 0)).toBe(flagged.size);
    expect(lines?.bySource.reduce((n, s) => n + s.rate.denominator, 0)).toBe(lines?.total.denominator);
  });

  it('records every run and audits runs and mapping changes', async () => {
    const runs = await app.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM recon_runs WHERE finished_at IS NOT NULL',
    );
    expect(Number(runs[0]?.n)).toBe(4);
    const audit = await app.db.query<{ action: string; n: string }>(
      `SELECT action, count(*) AS n FROM audit_log WHERE action LIKE 'recon.%' OR action LIKE 'exception.recon_%'
         OR action = 'exception.auto_cleared' GROUP BY action ORDER BY action`,
    );
    expect(Object.fromEntries(audit.map((a) => [a.action, Number(a.n)]))).toEqual({
      'exception.auto_cleared': 2,
      'exception.recon_opened': month.planted.length,
      'recon.account_mapping.saved': month.accounts.length + month.lateAccounts.length,
      'recon.run': 4,
      'recon.sku_mapping.saved': month.skus.length + month.lateSkus.length,
    });
  });

  it('lists the mappings, and refuses bad input naming the field', async () => {
    const accounts = await request(app.url, '/api/recon/mappings/accounts', { token: lead });
    expect((accounts.body as { mappings: unknown[] }).mappings).toHaveLength(4);
    const period = await request(app.url, '/api/recon/runs', { token: lead, body: { period: '2026-13' } });
    expect(expectApiError(period, 400, 'invalid_request').issues?.[0]?.path).toContain('period');
    const nul = await request(app.url, '/api/recon/mappings/accounts', {
      method: 'PUT',
      token: lead,
      body: { channel: 'aws', partnerAccount: 'a\u0000b', customerId: 'C', customerName: 'N' },
    });
    expect(expectApiError(nul, 400, 'invalid_request').issues?.[0]?.path).toContain('partnerAccount');
    const channel = await request(app.url, '/api/recon/mappings/skus', {
      method: 'PUT',
      token: lead,
      body: { channel: 'bank', partnerProduct: 'p', sku: 'S' },
    });
    expect(expectApiError(channel, 400, 'invalid_request').issues?.[0]?.path).toContain('channel');
  });

  it('rounds in SQL exactly as shared/ingest/precision.ts does', async () => {
    const values = [
      '0.005',
      '-0.005',
      '0.015',
      '-0.025',
      '2.5',
      '3.5',
      '-2.5',
      '0.0049999',
      '1234.5675',
      '0.125',
    ];
    for (const [currency, places] of [
      ['USD', 2],
      ['JPY', 0],
      ['KWD', 3],
    ] as const) {
      for (const mode of ['half_up', 'half_even'] as const) {
        const rows = await app.db.query<{ v: string; r: string }>(
          `SELECT v, recon_round_minor(v::numeric, $2, $3)::text AS r FROM unnest($1::text[]) AS v`,
          [values, places, mode],
        );
        for (const row of rows)
          expect(row.r, `${row.v} ${currency} ${mode}`).toBe(roundToMinor(row.v, currency, mode));
      }
    }
  });
});

describe.each(databaseTargets())('a reconciled exception as its data changes on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  const month = reconMonth();
  const bankLine = (amount: string, day: string): Uint8Array =>
    csv('bank-statement', [
      {
        account_id: 'BANK-1',
        booking_date: `2026-03-${day}`,
        value_date: `2026-03-${day}`,
        amount,
        currency: 'USD',
        reference: 'PAY-2',
      },
    ]).bytes;

  beforeAll(async () => {
    app = await startTestApp(target);
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    for (const f of month.files) await importFile(app.db, { ...f, importedBy: 'test:lead1' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const run = async (): Promise<ReconRun> =>
    runReconResponseSchema.parse(
      (await request(app.url, '/api/recon/runs', { token: lead, body: { period: PERIOD } })).body,
    ).run;
  const payout = async (): Promise<ExceptionRecord> => {
    const rows = await app.db.query<ExceptionRow>(
      `SELECT ${EXCEPTION_COLUMNS.join(', ')} FROM exceptions WHERE type = 'disbursement_variance'`,
    );
    expect(rows).toHaveLength(1);
    return rowToRecord(rows[0] as ExceptionRow);
  };

  it('updates the same exception when part of the shortfall arrives, and clears it when the rest does', async () => {
    await run();
    const before = await payout();
    expect(before.variance.amount).toBe('-10');
    await importFile(app.db, {
      fileName: 'late-cash.csv',
      bytes: bankLine('6.00', '28'),
      importedBy: 'test',
    });
    expect(await run()).toMatchObject({ opened: 0, updated: 1, closed: 0 });
    const updated = await payout();
    expect(updated).toMatchObject({ id: before.id, status: 'open', version: before.version + 1 });
    expect(updated.variance.amount).toBe('-4');
    expect(updated.evidence.length).toBe(before.evidence.length + 1);
    const rest = await importFile(app.db, {
      fileName: 'rest.csv',
      bytes: bankLine('4.00', '29'),
      importedBy: 'test',
    });
    expect(rest.outcome).toBe('imported');
    expect(await run()).toMatchObject({ opened: 0, updated: 0, closed: 1 });
    expect(await payout()).toMatchObject({ id: before.id, status: 'auto_cleared' });
  });
});
