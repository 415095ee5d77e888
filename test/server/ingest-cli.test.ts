import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatByName } from '@shared/ingest/format-registry';
import type { FormatSpec } from '@shared/ingest/format-spec';
import { importSummarySchema } from '@shared/ingest/summary';
import { openDatabase, type OpenDatabaseOptions } from '../../server/src/db/open';
import { fixtureFile } from '../support/ingest-fixtures';
import { databaseTargets, type FreshDatabase } from './helpers/databases';
import { runNpmScript, type ScriptResult } from './helpers/npm-script';

const ingest = (options: OpenDatabaseOptions, args: string[]): ScriptResult =>
  runNpmScript('ingest', options, args, { LEDGERDESK_IMPORTED_BY: 'ops-scheduler' });

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => importSummarySchema.parse(JSON.parse(l)));

describe.each(databaseTargets())('npm run ingest on $kind', (target) => {
  let fresh: FreshDatabase;
  let dir: string;
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  beforeAll(async () => {
    fresh = await target.fresh({ onDisk: true });
    dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-ingest-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fresh.cleanup();
  });

  it(
    'exits 0 for imported and already imported files, 1 naming FILE:ROW:COLUMN for a rejected one, 2 for a bad command line',
    { timeout: 600_000 },
    async () => {
      const billed = fixtureFile(formatByName('aws-billed-revenue') as FormatSpec, 'csv');
      const usage = fixtureFile(formatByName('azure-metered-usage') as FormatSpec, 'xlsx');
      const good = file('billed.csv', billed.bytes);
      const goodXlsx = file('usage.xlsx', usage.bytes);
      const bad = file(
        'payments.csv',
        'paymentID,paymentDate,totalPayment,currency\r\nP-1,2026-03-01,10.00,USD\r\nP-2,2026-03-02,"1,234.5",JPY\r\n',
      );

      const first = ingest(fresh.options, ['--json', good, goodXlsx]);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).toBe('');
      expect(jsonLines(first.stdout).map((s) => [s.file, s.outcome, s.format, s.rows])).toEqual([
        [good, 'imported', 'aws-billed-revenue', billed.expected.length],
        [goodXlsx, 'imported', 'azure-metered-usage', usage.expected.length],
      ]);

      const second = ingest(fresh.options, [good, bad]);
      expect(second.status).toBe(1);
      expect(second.stdout).toContain(`already imported ${good}`);
      expect(second.stderr.split('\n')).toContain(
        `${bad}:3:totalPayment: "1234.5" has 1 decimals; expected at most 0 for JPY`,
      );
      expect(second.stderr).toContain(`rejected ${bad}: 1 problems; nothing stored from this file`);

      const dry = ingest(fresh.options, [
        '--dry-run',
        '--json',
        '--format',
        'azure-payments',
        file('fixed.csv', 'paymentID,paymentDate,totalPayment,currency\nP-2,2026-03-02,"1,234",JPY\n'),
      ]);
      expect(dry.status, dry.stderr).toBe(0);
      expect(jsonLines(dry.stdout)[0]).toMatchObject({ outcome: 'valid', format: 'azure-payments', rows: 1 });

      const usageError = ingest(fresh.options, ['--formt', 'x', good]);
      expect(usageError.status).toBe(2);
      expect(usageError.stderr).toContain('unknown option --formt');

      // Only the two good files are stored: nothing of the rejected file, nothing of the dry run.
      const db = await openDatabase(fresh.options);
      try {
        const batches = await db.query<{ file_name: string; imported_by: string }>(
          'SELECT file_name, imported_by FROM ingest_batches ORDER BY id',
        );
        expect(batches).toEqual([
          { file_name: good, imported_by: 'ops-scheduler' },
          { file_name: goodXlsx, imported_by: 'ops-scheduler' },
        ]);
        const payouts = await db.query<{ n: string }>('SELECT count(*) AS n FROM ingest_payouts');
        expect(payouts[0]?.n).toBe('0');
      } finally {
        await db.close();
      }
    },
  );
});
