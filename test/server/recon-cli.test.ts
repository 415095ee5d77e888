import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconRunSchema } from '@shared/api/recon';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { importFile } from '../../server/src/features/ingest/import-file';
import { PERIOD, reconMonth } from '../support/recon-month';
import { databaseTargets, type FreshDatabase } from './helpers/databases';
import { runNpmScript, type ScriptResult } from './helpers/npm-script';

const reconcile = (fresh: FreshDatabase, args: string[]): ScriptResult =>
  runNpmScript('reconcile', fresh.options, args, { LEDGERDESK_RUN_BY: 'ops-scheduler' });

describe.each(databaseTargets())('npm run reconcile on $kind', (target) => {
  let fresh: FreshDatabase;
  const month = reconMonth();

  beforeAll(async () => {
    fresh = await target.fresh({ onDisk: true });
    const db = await openDatabase(fresh.options);
    try {
      await migrate(db);
      for (const f of month.files) await importFile(db, { ...f, importedBy: 'ops-scheduler' });
      for (const m of month.accounts)
        await db.query(
          `INSERT INTO recon_account_map (channel, partner_account, customer_id, customer_name, updated_by)
           VALUES ($1, $2, $3, $4, 'test')`,
          [m.channel, m.partnerAccount, m.customerId, m.customerName],
        );
      for (const m of month.skus)
        await db.query(
          `INSERT INTO recon_sku_map (channel, partner_product, partner_dimension, sku, updated_by)
           VALUES ($1, $2, $3, $4, 'test')`,
          [m.channel, m.partnerProduct, m.partnerDimension, m.sku],
        );
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await fresh.cleanup();
  });

  it('prints the counts (JSON or words), exits 0, and 2 for a bad command line', { timeout: 600_000 }, () => {
    const first = reconcile(fresh, ['--period', PERIOD, '--json']);
    expect(first.status, first.stderr).toBe(0);
    const run = reconRunSchema.parse(JSON.parse(first.stdout.trim()));
    expect(run).toMatchObject({
      period: PERIOD,
      runBy: 'ops-scheduler',
      opened: month.planted.length,
      closed: 0,
    });

    const again = reconcile(fresh, [`--period=${PERIOD}`]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(
        `reconciled ${PERIOD} \\(run \\d+\\): matched 30, suggested 1, opened 0, updated 0, closed 0`,
      ),
    );

    for (const bad of [[], ['--period', '2026-3'], ['--period', '0000-01'], ['--perio', PERIOD]]) {
      const r = reconcile(fresh, bad);
      expect(r.status, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: npm run reconcile');
    }
  });
});
