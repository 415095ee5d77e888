import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '@shared/api/errors';
import { sopDiffResponseSchema, sopLibraryResponseSchema } from '@shared/api/sop-library';
import { sopsResponseSchema } from '@shared/api/sops';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { moduleZip, uploadSop } from '../support/sop-upload';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';

const MODULE = 'rate-mismatch';

/** Reads a workbook, lets the test change cells, writes it back. */
function editWorkbook(bytes: Buffer, edit: (book: XLSX.WorkBook) => void): Buffer {
  const book = XLSX.read(bytes, { type: 'buffer' });
  edit(book);
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
const setCell = (book: XLSX.WorkBook, sheet: string, ref: string, v: string): void => {
  const ws = book.Sheets[sheet] as XLSX.WorkSheet;
  ws[ref] = { t: 's', v };
};

describe.each(databaseTargets())('SOP library: upload, publish, retire, diff on $kind', (target) => {
  let app: TestApp;
  let trainer: string;
  let drafts: () => Promise<number>;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 0 });
    trainer = (await login(app.url, 'trainer1', DEMO_PASSWORD)).accessToken;
    drafts = async () =>
      Number((await app.db.query<{ n: string }>('SELECT count(*)::text AS n FROM sop_drafts'))[0]?.n);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a broken zip is refused with file, line and field, and nothing is stored', async () => {
    const zip = moduleZip(MODULE, '1.1.0', (path, text) =>
      path === 'steps/rates.md'
        ? text.replace("type: number\n    min: '0'\n    unit", "type: numbr\n    min: '0'\n    unit")
        : text,
    );
    const res = await uploadSop(app.url, trainer, zip, { name: 'rate-mismatch.zip' });
    expect(res.status).toBe(400);
    const body = apiErrorSchema.parse(res.body);
    expect(body.issues?.[0]?.path).toMatch(
      /^rate-mismatch\.zip\/rate-mismatch\/steps\/rates\.md:\d+ fields\[1\]/,
    );
    expect(await drafts()).toBe(0);
  });

  it('a zip loads as a draft that no desk receives until it is published', async () => {
    const res = await uploadSop(app.url, trainer, moduleZip(MODULE, '1.1.0'), { name: 'rate-mismatch.zip' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      draft: { moduleId: MODULE, version: '1.1.0', state: 'draft' },
      kind: 'zip',
    });
    const served = sopsResponseSchema.parse((await request(app.url, '/api/sops', { token: trainer })).body);
    expect(served.modules.some((m) => m.id === MODULE && m.version === '1.1.0')).toBe(false);
    const library = sopLibraryResponseSchema.parse(
      (await request(app.url, '/api/sops/library', { token: trainer })).body,
    );
    expect(library.versions.filter((v) => v.moduleId === MODULE).map((v) => [v.version, v.state])).toEqual([
      ['1.0.0', 'published'],
      ['1.1.0', 'draft'],
    ]);
    const pub = await request(app.url, `/api/sops/${MODULE}/versions/1.1.0/publish`, {
      token: trainer,
      body: {},
    });
    expect(pub.status).toBe(200);
    const after = sopsResponseSchema.parse((await request(app.url, '/api/sops', { token: trainer })).body);
    expect(after.modules.some((m) => m.id === MODULE && m.version === '1.1.0')).toBe(true);
  });

  it('the exported workbook template loads back; a broken one names sheet, row and column', async () => {
    const res = await fetch(`${app.url}/api/sops/template.xlsx?module=${MODULE}`, {
      headers: { authorization: `Bearer ${trainer}` },
    });
    expect(res.status).toBe(200);
    const template = Buffer.from(await res.arrayBuffer());
    const next = editWorkbook(template, (book) => setCell(book, 'module', 'B3', '1.2.0'));
    const ok = await uploadSop(app.url, trainer, next, { name: 'rates.xlsx' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'xlsx', draft: { version: '1.2.0' } });

    const broken = editWorkbook(template, (book) => {
      setCell(book, 'module', 'B3', '1.3.0');
      setCell(book, 'fields', 'C3', 'numbr');
    });
    const bad = await uploadSop(app.url, trainer, broken, { name: 'rates.xlsx' });
    expect(bad.status).toBe(400);
    expect(apiErrorSchema.parse(bad.body).issues?.[0]?.path).toMatch(/^rates\.xlsx \[fields\]:3/);
  });

  it('semver is enforced: a field change under a patch bump is refused', async () => {
    const zip = moduleZip(MODULE, '1.1.1', (path, text) =>
      path === 'steps/rates.md'
        ? text.replace('label: Quantity billed', 'label: Quantity billed\n    required: false')
        : text,
    );
    const res = await uploadSop(app.url, trainer, zip, { name: 'rate-mismatch.zip' });
    expect(res.status).toBe(409);
    expect(apiErrorSchema.parse(res.body).message).toMatch(
      /fields changed since 1\.1\.0.*at least a minor version/,
    );
  });

  it('one step file amends the newest version; the diff shows the change side by side', async () => {
    const step = (
      await app.db.query<{ content: { stepList: { id: string; body: string }[] } }>(
        `SELECT content FROM sop_drafts WHERE module_id = $1 AND version = '1.2.0'`,
        [MODULE],
      )
    )[0];
    expect(step).toBeDefined();
    const yaml = `---\ntitle: Record the rates\nkind: input\nfields:\n  - id: quantity\n    label: Quantity billed\n    type: number\n    min: '0'\n  - id: billed-rate\n    label: Billed rate\n    type: number\n  - id: contract-rate\n    label: Contract rate\n    type: number\n---\n\nRecord both rates.\n`;
    const res = await uploadSop(app.url, trainer, Buffer.from(yaml), {
      name: 'rates.md',
      path: 'steps/rates.md',
      module: MODULE,
    });
    // The newest version is the 1.2.0 draft: amending it keeps its number, and its fields changed
    // since the published 1.1.0 under a minor bump, which is allowed.
    expect(res.status).toBe(201);
    const diff = sopDiffResponseSchema.parse(
      (await request(app.url, `/api/sops/${MODULE}/diff?from=1.1.0&to=1.2.0`, { token: trainer })).body,
    );
    expect(diff.fields.find((f) => f.key === 'rates.billed-rate')?.change).toBe('changed');
    expect(diff.steps.find((s) => s.key === 'rates')?.change).toBe('changed');
  });

  it('retire stops a version for new items but never the last live one', async () => {
    const retire = (v: string) =>
      request(app.url, `/api/sops/${MODULE}/versions/${v}/retire`, {
        token: trainer,
        body: { reason: 'superseded' },
      });
    expect((await retire('1.0.0')).status).toBe(200);
    expect((await retire('1.1.0')).status).toBe(409);
    const served = sopsResponseSchema.parse((await request(app.url, '/api/sops', { token: trainer })).body);
    expect(served.retired).toEqual([{ moduleId: MODULE, version: '1.0.0' }]);
    const audit = await app.db.query<{ action: string }>(
      `SELECT DISTINCT action FROM audit_log WHERE action LIKE 'sop.%' ORDER BY action`,
    );
    expect(audit.map((a) => a.action)).toEqual(['sop.loaded', 'sop.published', 'sop.retired']);
  });
});
