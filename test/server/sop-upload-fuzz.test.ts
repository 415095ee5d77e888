import { readFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '@shared/api/errors';
import { mulberry32 } from '@shared/qa/prng';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { moduleZip, uploadSop } from '../support/sop-upload';
import { makeZip } from '../support/zip-writer';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';

const MODULE = 'rate-mismatch';

interface Case {
  label: string;
  bytes: Buffer;
  query: Record<string, string>;
}

function cases(template: Buffer): Case[] {
  // The same cases on every run, so a failure can be replayed.
  const rnd = mulberry32(14);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const zip = moduleZip(MODULE, '9.0.0');
  const out: Case[] = [];
  const asZip = (label: string, bytes: Buffer): void =>
    void out.push({ label, bytes, query: { name: 'm.zip' } });

  // Truncated archives: the end of central directory is gone.
  for (let i = 0; i < 150; i += 1)
    asZip(`truncated ${i}`, zip.subarray(0, 1 + Math.floor(rnd() * (zip.length - 2))));
  // A byte changed inside the first entry's compressed data: inflate or CRC-32 fails.
  const nameLen = zip.readUInt16LE(26);
  const dataStart = 30 + nameLen + zip.readUInt16LE(28);
  const dataLen = zip.readUInt32LE(18);
  for (let i = 0; i < 150; i += 1) {
    const copy = Buffer.from(zip);
    const at = dataStart + Math.floor(rnd() * dataLen);
    copy[at] = (copy[at] as number) ^ (1 + Math.floor(rnd() * 255));
    asZip(`flipped data byte ${i}`, copy);
  }
  // Zip-slip and hostile names next to a valid module.
  const hostile = [
    '../evil.yaml',
    '/etc/passwd',
    'C:/win.ini',
    'a\\..\\b.md',
    'x/./module.yaml',
    'x//y.md',
    'x/../../z.md',
    'nul\u0000.md',
  ];
  for (let i = 0; i < 120; i += 1) {
    const name = `${pick(['', 'rate-mismatch/', 'deep/er/'])}${pick(hostile)}`;
    asZip(
      `hostile name ${i}`,
      makeZip([
        { name: 'rate-mismatch/module.yaml', data: 'id: x' },
        { name, data: 'boom' },
      ]),
    );
  }
  for (let i = 0; i < 40; i += 1) {
    asZip(
      `symlink ${i}`,
      makeZip([{ name: 'rate-mismatch/module.yaml', data: '/etc/passwd', symlink: true }]),
    );
  }
  // Zip bombs: a lying size, an entry past the size limit, a ratio past the limit, too many entries.
  for (let i = 0; i < 40; i += 1) {
    asZip(
      `lying size ${i}`,
      makeZip([{ name: 'rate-mismatch/module.yaml', data: 'a'.repeat(5000 + i), declaredSize: 10 + i }]),
    );
  }
  const zeros = Buffer.alloc(3 * 1024 * 1024);
  asZip('entry past the size limit', makeZip([{ name: 'rate-mismatch/module.yaml', data: zeros }]));
  for (let i = 0; i < 20; i += 1) {
    asZip(
      `ratio bomb ${i}`,
      makeZip([{ name: `rate-mismatch/steps/s${i}.md`, data: Buffer.alloc(1024 * 1024 + i) }]),
    );
  }
  for (let i = 0; i < 9; i += 1) {
    asZip(
      `total past the limit ${i}`,
      makeZip(
        Array.from({ length: 9 }, (_, k) => ({
          name: `m/f${k}.md`,
          data: Buffer.alloc(1900 * 1024, 'x'),
          store: true,
        })),
      ),
    );
  }
  asZip(
    'too many entries',
    makeZip(Array.from({ length: 501 }, (_, k) => ({ name: `m/e${k}.md`, data: '' }))),
  );
  asZip('no module in the archive', makeZip([{ name: 'readme.txt', data: 'hello' }]));
  asZip(
    'two modules',
    makeZip([
      { name: 'a/module.yaml', data: 'id: a' },
      { name: 'b/module.yaml', data: 'id: b' },
    ]),
  );

  // module.yaml on its own, broken in a way no reading can accept.
  const manifest = readFileSync(`sops/${MODULE}/module.yaml`, 'utf8').replace(
    /^version: .*$/m,
    'version: 9.0.0',
  );
  const breakers: ((t: string) => string | Buffer)[] = [
    (t) => t.replace(/^version: .*$/m, `version: v${Math.floor(rnd() * 9)}`),
    (t) => t.replace(/^appliesTo: .*$/m, `appliesTo: [not_a_type_${Math.floor(rnd() * 99)}]`),
    (t) => t.replace(/^steps:$/m, 'steps: []\nold-steps:'),
    (t) => t.replace(/^title: .*$/m, `title: "${'x'.repeat(201 + Math.floor(rnd() * 50))}"`),
    (t) => t.replace(/^summary:/m, `summary: "a\u0000b"\nold-summary:`),
    (t) => Buffer.concat([Buffer.from(t), Buffer.from([0xff, 0xfe, 0xc3])]),
    (t) => `${t}\n${pick(['- ]]]', 'key: [unclosed', '  bad: indent: here', '\t- tab'])}\n`,
    (t) => t.replace(/^id: .*$/m, `id: ${pick(['Rate Mismatch', '../x', '', 'a'])}`),
    (t) => t.replace(/code: WITHIN_TOLERANCE/, `code: NOT_A_CODE_${Math.floor(rnd() * 99)}`),
    (t) => `${t}\nunknownKey${Math.floor(rnd() * 999)}: 1\n`,
  ];
  for (let i = 0; i < 200; i += 1) {
    const b = breakers[i % breakers.length]?.(manifest) ?? '';
    out.push({
      label: `module.yaml ${i}`,
      bytes: Buffer.isBuffer(b) ? b : Buffer.from(b),
      query: { name: 'module.yaml' },
    });
  }

  // A step file (Markdown with YAML front matter) on its own.
  const step = readFileSync(`sops/${MODULE}/steps/rates.md`, 'utf8');
  const stepBreakers: ((t: string) => string)[] = [
    (t) => t.replace(/^---\n/, ''),
    (t) => t.replace('kind: input', `kind: ${pick(['bogus', 'Input', '7', '[]'])}`),
    (t) => t.replace('type: number', `type: ${pick(['numbr', 'float', 'money2'])}`),
    (t) => t.replace("min: '0'", `min: ${pick(["'abc'", "'1e5'", "'0x10'", "'--1'"])}`),
    (t) => t.replace('fields:', 'fields: 7\nold:'),
    (_t) => `---\n${pick(['title: [', ': :', 'kind: {'])}\n---\nbody`,
    (t) => t.replace('id: quantity', 'id: Quantity Billed'),
    (t) => t.replace(/---\n\n/, '\n'),
  ];
  for (let i = 0; i < 160; i += 1) {
    out.push({
      label: `step file ${i}`,
      bytes: Buffer.from(stepBreakers[i % stepBreakers.length]?.(step) ?? ''),
      query: { name: 'rates.md', path: pick(['steps/rates.md', 'steps/new-step.md']), module: MODULE },
    });
  }
  for (let i = 0; i < 20; i += 1) {
    out.push({
      label: `bad path ${i}`,
      bytes: Buffer.from(step),
      query: {
        name: 'x.md',
        path: pick(['../module.yaml', '/etc/x', 'steps/../../x.md', 'steps/UP.md']),
        module: MODULE,
      },
    });
  }

  // Workbooks: broken cells, missing sheets, cut short.
  const cellBreakers: ((b: XLSX.WorkBook) => void)[] = [
    (b) => void ((b.Sheets.steps as XLSX.WorkSheet).C2 = { t: 's', v: 'bogus' }),
    (b) => void ((b.Sheets.steps as XLSX.WorkSheet).E2 = { t: 's', v: 'maybe' }),
    (b) => void ((b.Sheets.fields as XLSX.WorkSheet).M2 = { t: 's', v: 'ten' }),
    (b) => void ((b.Sheets.exercises as XLSX.WorkSheet).C2 = { t: 's', v: '{not json' }),
    (b) => void ((b.Sheets.module as XLSX.WorkSheet).B2 = { t: 's', v: 'NOT AN ID' }),
    (b) => void ((b.Sheets.resolutions as XLSX.WorkSheet).A2 = { t: 's', v: 'NOPE' }),
    (b) => {
      b.SheetNames = b.SheetNames.filter((n) => n !== 'steps');
      delete b.Sheets.steps;
    },
    (b) => void ((b.Sheets.conditions as XLSX.WorkSheet).C2 = { t: 's', v: '{"eval": ["process.exit()"]}' }),
  ];
  for (let i = 0; i < 80; i += 1) {
    const book = XLSX.read(template, { type: 'buffer' });
    (book.Sheets.module as XLSX.WorkSheet).B3 = { t: 's', v: '9.0.0' };
    cellBreakers[i % cellBreakers.length]?.(book);
    out.push({
      label: `workbook ${i}`,
      bytes: XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer,
      query: { name: 'm.xlsx' },
    });
  }
  for (let i = 0; i < 30; i += 1) {
    out.push({
      label: `workbook cut ${i}`,
      bytes: template.subarray(0, 10 + Math.floor(rnd() * (template.length - 20))),
      query: { name: 'm.xlsx' },
    });
  }
  return out;
}

describe.each(databaseTargets())('SOP upload fuzz on $kind', (target) => {
  let app: TestApp;
  let trainer: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 0 });
    trainer = (await login(app.url, 'trainer1', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it(
    'answers every malformed module with a clear 4xx, stores nothing and stays up',
    { timeout: 600_000 },
    async () => {
      const res = await fetch(`${app.url}/api/sops/template.xlsx?module=${MODULE}`, {
        headers: { authorization: `Bearer ${trainer}` },
      });
      const all = cases(Buffer.from(await res.arrayBuffer()));
      expect(all.length).toBeGreaterThanOrEqual(1000);
      const unexpected: string[] = [];
      for (const c of all) {
        const r = await uploadSop(app.url, trainer, c.bytes, c.query);
        const parsed = apiErrorSchema.safeParse(r.body);
        if (r.status < 400 || r.status >= 500 || !parsed.success || parsed.data.message.length < 10) {
          unexpected.push(`${c.label}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        }
      }
      expect(unexpected).toEqual([]);
      const stored = await app.db.query<{ n: string }>(
        `SELECT ((SELECT count(*) FROM sop_drafts) + (SELECT count(*) FROM sop_modules WHERE version = '9.0.0'))::text AS n`,
      );
      expect(stored[0]?.n).toBe('0');
      expect((await request(app.url, '/api/health')).status).toBe(200);
    },
  );
});
