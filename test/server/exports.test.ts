import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { insertDraw, insertItem, insertResolution } from './helpers/kpi-dataset';

/** The six leading characters a spreadsheet reads as the start of a formula, one case each. */
const HOSTILE = [
  ['EX-0301', '=HYPERLINK("http://evil.example","x")'],
  ['EX-0302', "+1+cmd|' /C calc'!A0"],
  ['EX-0303', '-2+3'],
  ['EX-0304', '@SUM(1,1)'],
  ['EX-0305', '\t=1+1'],
  ['EX-0306', '\r=1+1'],
] as const;

interface Download {
  status: number;
  bytes: Buffer;
  type: string | null;
}

async function download(url: string, token: string | undefined): Promise<Download> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return {
    status: res.status,
    bytes: Buffer.from(await res.arrayBuffer()),
    type: res.headers.get('content-type'),
  };
}

/** Every cell of the first sheet, with the formula it holds if any. */
function cells(bytes: Buffer): { ref: string; cell: XLSX.CellObject }[] {
  const book = XLSX.read(bytes, { type: 'buffer', cellFormula: true });
  const sheet = book.Sheets[book.SheetNames[0]!]!;
  return Object.keys(sheet)
    .filter((k) => !k.startsWith('!'))
    .map((ref) => ({ ref, cell: sheet[ref] as XLSX.CellObject }));
}

function rows(bytes: Buffer): unknown[][] {
  const book = XLSX.read(bytes, { type: 'buffer' });
  return XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1, raw: true });
}

describe.each(databaseTargets())('exports on $kind', (target) => {
  let app: TestApp;
  let lead: string;
  const url = (path: string): string => `${app.url}/api/exports/${path}`;

  beforeAll(async () => {
    app = await startTestApp(target);
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    for (const [id, name] of HOSTILE) {
      await insertItem(app.db, {
        id,
        status: 'open',
        channel: 'aws',
        partner: name.slice(0, 12),
        opened: '2026-11-03T00:00:00Z',
      });
      await app.db.query('UPDATE exceptions SET customer_name = $2 WHERE id = $1', [id, name]);
    }
    // A settled amount (a number in xlsx) and a line amount longer than 15 digits (exact text).
    for (const [id, channel, variance] of [
      ['EX-0310', 'aws', ['-12.50', 'USD']],
      ['EX-0311', 'gcp', ['12345678.1234567891', 'EUR']],
    ] as const) {
      await insertItem(app.db, {
        id,
        status: 'open',
        channel,
        partner: 'P1',
        opened: '2026-11-03T00:00:00Z',
        variance: [...variance],
      });
    }
    await insertResolution(app.db, {
      exceptionId: 'EX-0310',
      userId: 'user-operator1',
      action: 'write_off',
      at: '2026-11-04T00:00:00Z',
    });
    await app.db.query(
      `UPDATE exception_resolutions SET note = '=cmd|"/C calc"!A1' WHERE exception_id = 'EX-0310'`,
    );
    await insertDraw(app.db, '2026-11-04', ['EX-0310']);
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(HOSTILE)(
    'xlsx: %s text starting with a formula character is a plain string, never a formula',
    async (id, name) => {
      const filter = encodeURIComponent(JSON.stringify({ ids: [id] }));
      const res = await download(url(`exceptions?format=xlsx&filter=${filter}`), lead);
      expect(res.status).toBe(200);
      expect(res.type).toContain('spreadsheetml');
      const all = cells(res.bytes);
      expect(all.filter((c) => c.cell.f !== undefined)).toEqual([]);
      const customer = rows(res.bytes)[1]?.[6];
      expect(customer).toBe(`'${name}`);
    },
  );

  it('CSV: every hostile text cell is neutralised with an apostrophe; amounts stay numbers', async () => {
    const res = await download(url('exceptions?format=csv&from=2026-11-01&to=2026-11-30'), lead);
    expect(res.status).toBe(200);
    const text = res.bytes.toString('utf8');
    const parsed = XLSX.read(text, { type: 'string', raw: false, cellFormula: true });
    const sheet = parsed.Sheets[parsed.SheetNames[0]!]!;
    expect(Object.values(sheet).filter((c) => typeof c === 'object' && c !== null && 'f' in c)).toEqual([]);
    for (const [, name] of HOSTILE)
      expect(text).toContain(`'${name.startsWith('\r') ? '\r' : name.slice(0, 1)}`);
    expect(text).toContain(',-12.5,USD,');
    expect(text).toContain(',12345678.1234567891,EUR,');
  });

  it('amounts: numeric cells when 15 digits hold them exactly, exact text otherwise; currency beside', async () => {
    const filter = encodeURIComponent(JSON.stringify({ ids: ['EX-0310', 'EX-0311'] }));
    const table = rows((await download(url(`exceptions?format=xlsx&filter=${filter}`), lead)).bytes);
    const header = table[0] as string[];
    const v = header.indexOf('Variance');
    expect(table[1]?.[v]).toBe(-12.5);
    expect(table[1]?.[v + 1]).toBe('USD');
    expect(table[2]?.[v]).toBe('12345678.1234567891');
    expect(table[2]?.[v + 1]).toBe('EUR');
  });

  it('results, KPIs, QA draws and the audit trail export too; user text is neutralised in each', async () => {
    for (const kind of ['results', 'kpis', 'qa-draws', 'audit']) {
      const res = await download(url(`${kind}?format=xlsx&from=2026-11-01&to=2026-12-31`), lead);
      expect(res.status, kind).toBe(200);
      expect(cells(res.bytes).filter((c) => c.cell.f !== undefined)).toEqual([]);
    }
    const results = rows(
      (await download(url('results?format=xlsx&from=2026-11-01&to=2026-11-30'), lead)).bytes,
    );
    expect(results[1]).toContain(`'=cmd|"/C calc"!A1`);
    expect(results[1]).toContain('EX-0310');
    const draws = rows(
      (await download(url('qa-draws?format=xlsx&from=2026-11-01&to=2026-11-30'), lead)).bytes,
    );
    expect(draws[1]).toContain('EX-0310');
    const audit = await app.db.query(`SELECT 1 FROM audit_log WHERE action = 'export.download'`);
    expect(audit.length).toBeGreaterThan(5);
  });

  it('refuses bad queries naming the field, and roles other than lead and admin', async () => {
    const op = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    expect((await download(url('exceptions'), op)).status).toBe(403);
    expect((await download(url('exceptions'), undefined)).status).toBe(401);
    for (const [path, field] of [
      ['passwords', 'kind'],
      ['exceptions?format=pdf', 'format'],
      ['exceptions?filter=%7Bnot-json', 'filter'],
      [`exceptions?filter=${encodeURIComponent('{"ids":["../etc"]}')}`, 'filter'],
      ['audit?from=0000-01-01', 'from'],
    ] as const) {
      const err = expectApiError(
        await request(app.url, `/api/exports/${path}`, { token: lead }),
        400,
        'invalid_request',
      );
      expect(JSON.stringify(err)).toContain(field);
    }
  });

  it('npm run export writes the same file from the command line', async () => {
    // The CLI opens the PGlite folder itself, so it gets a database of its own.
    if (target.kind !== 'pglite') return;
    const dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-export-'));
    try {
      const db = await openDatabase({ pgliteDir: join(dir, 'db') });
      await migrate(db);
      await insertItem(db, {
        id: 'EX-0311',
        status: 'open',
        channel: 'gcp',
        partner: '=P1',
        opened: '2026-11-03T00:00:00Z',
      });
      await insertItem(db, {
        id: 'EX-0312',
        status: 'open',
        channel: 'aws',
        partner: 'P1',
        opened: '2026-11-03T00:00:00Z',
      });
      await db.close();
      const out = join(dir, 'exceptions.xlsx');
      const cli = (args: string[]) =>
        spawnSync('npx', ['tsx', 'server/src/features/exports/cli.ts', ...args], {
          // The PGlite folder, even where the suite runs against PostgreSQL too.
          env: { ...process.env, DATABASE_URL: '', LEDGERDESK_SERVER_DATA: join(dir, 'db') },
          encoding: 'utf8',
          timeout: 120_000,
        });
      const run = cli(['exceptions', '--format', 'xlsx', '--out', out, '--channel', 'gcp']);
      expect(run.status, run.stderr).toBe(0);
      const table = rows(readFileSync(out));
      expect(table.slice(1).map((r) => [r[0], r[4]])).toEqual([['EX-0311', "'=P1"]]);
      const bad = cli(['nothing', '--out', out]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('KIND must be one of');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
