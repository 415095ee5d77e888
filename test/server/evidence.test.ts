import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceUploadResponseSchema } from '@shared/api/evidence';
import { nextResponseSchema, type LeasedItem } from '@shared/api/work';
import { EVIDENCE_MAX_BYTES } from '@shared/evidence/file-type';
import { pushResponseSchema } from '@shared/sync/mutations';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { FILES, sha256Of, withAttachments } from '../support/evidence-files';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { mutation, resolve, type ResolveSpec } from './helpers/mutations';

/** Every SOP offers escalation, so any leased item can be resolved this way. */
const ESCALATE: ResolveSpec = {
  prefer: { actions: ['escalate'], approval: 'avoid' },
  note: 'evidence attached',
};

interface RawResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  json: unknown;
}

async function raw(url: string, init: RequestInit): Promise<RawResponse> {
  const res = await fetch(url, init);
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown = null;
  if (res.headers.get('content-type')?.includes('application/json'))
    json = JSON.parse(bytes.toString('utf8'));
  return { status: res.status, headers: res.headers, bytes, json };
}

describe.each(databaseTargets())('evidence files on $kind', (target) => {
  let app: TestApp;
  const token: Record<string, string> = {};

  const upload = (
    bytes: Uint8Array,
    opts: { as?: string; type?: string; name?: string; sha256?: string } = {},
  ): Promise<RawResponse> => {
    const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/pdf' };
    const who = opts.as === undefined ? 'operator1' : opts.as;
    if (who !== 'anonymous') headers.authorization = `Bearer ${token[who]}`;
    const name = encodeURIComponent(opts.name ?? 'proof.pdf');
    return raw(`${app.url}/api/evidence/${opts.sha256 ?? sha256Of(bytes)}?name=${name}`, {
      method: 'PUT',
      headers,
      body: bytes as Uint8Array<ArrayBuffer>,
    });
  };
  const download = (sha256: string, who: string): Promise<RawResponse> =>
    raw(`${app.url}/api/evidence/${sha256}`, {
      headers: who === 'anonymous' ? {} : { authorization: `Bearer ${token[who]}` },
    });

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 300 });
    for (const user of ['operator1', 'operator2', 'lead1', 'qa1', 'trainer1']) {
      token[user] = (await login(app.url, user, DEMO_PASSWORD)).accessToken;
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses an anonymous upload with 401, before reading the body', async () => {
    const res = await upload(FILES.pdf, { as: 'anonymous' });
    expectApiError({ status: res.status, body: res.json }, 401, 'unauthorized');
  });

  it('refuses a body that does not hash to the address (400 naming the field)', async () => {
    const res = await upload(FILES.pdf, { sha256: sha256Of(FILES.png) });
    const body = expectApiError({ status: res.status, body: res.json }, 400, 'invalid_request');
    expect(body.message).toMatch(/sha256/);
  });

  it('refuses a file over 10 MiB with 413', async () => {
    const big = Buffer.alloc(EVIDENCE_MAX_BYTES + 1, 0x41);
    const res = await upload(big, { type: 'text/plain', name: 'big.txt' });
    expect(res.status).toBe(413);
  });

  it('refuses executables and HTML disguised as a PDF with 415, without echoing the name', async () => {
    for (const [bytes, type, name] of [
      [FILES.elf, 'application/pdf', 'invoice.pdf'],
      [FILES.html, 'application/pdf', 'invoice.pdf'],
      [FILES.html, 'text/plain', 'notes.txt'],
      [FILES.exe, 'application/octet-stream', 'statement.pdf.exe'],
      [FILES.pdf, 'application/x-msdownload', 'setup.exe'],
    ] as const) {
      const res = await upload(bytes, { type, name });
      const body = expectApiError({ status: res.status, body: res.json }, 415, 'invalid_request');
      expect(body.message).not.toContain(name);
    }
  });

  it('stores a PDF once (201, then 200) and serves it to its uploader, leads and QA, safely', async () => {
    const sha = sha256Of(FILES.pdf);
    const first = await upload(FILES.pdf, { name: 'C:\\Users\\op\\statement "Q3".pdf' });
    expect(first.status).toBe(201);
    expect(evidenceUploadResponseSchema.parse(first.json)).toEqual({
      sha256: sha,
      type: 'application/pdf',
      size: FILES.pdf.length,
      created: true,
    });
    expect((await upload(FILES.pdf)).status).toBe(200);

    for (const who of ['operator1', 'lead1', 'qa1']) {
      const res = await download(sha, who);
      expect(res.status, who).toBe(200);
      expect(sha256Of(res.bytes)).toBe(sha);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain('sandbox');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="statement _Q3_.pdf"/);
    }
    expect((await download(sha, 'operator2')).status).toBe(404);
    expect((await download(sha, 'trainer1')).status).toBe(403);
    expect((await download(sha, 'anonymous')).status).toBe(401);
    expect((await download('0'.repeat(64), 'lead1')).status).toBe(404);
    expect((await download('../../etc/passwd', 'lead1')).status).toBe(404);
    expect((await download('ABC', 'lead1')).status).toBe(400);
  });

  it('keeps only the last segment of a path-traversal name, with the extension of the verified type', async () => {
    const bytes = Buffer.from('root:x:0:0:root:/root:/bin/bash\n');
    const res = await upload(bytes, { type: 'text/plain', name: '../../etc/passwd' });
    expect(res.status).toBe(201);
    const rows = await app.db.query<{ name: string }>('SELECT name FROM evidence_uploads WHERE sha256 = $1', [
      sha256Of(bytes),
    ]);
    expect(rows).toEqual([{ name: 'passwd.txt' }]);
    const served = await download(sha256Of(bytes), 'lead1');
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="passwd.txt"/);
  });

  describe('a resolution naming files', () => {
    let items: LeasedItem[] = [];
    const take = (): LeasedItem => {
      const item = items.shift();
      if (!item) throw new Error('no leased item left');
      return item;
    };
    const push = async (body: Parameters<typeof mutation>[0]) => {
      const res = await request(app.url, '/api/sync/push', {
        token: token.operator1,
        body: { clientId: randomUUID(), mutations: [mutation(body)] },
      });
      expect(res.status).toBe(200);
      return pushResponseSchema.parse(res.body).results[0]!;
    };
    const ref = (bytes: Uint8Array, type = 'application/pdf') => ({
      id: randomUUID(),
      name: 'proof.pdf',
      type,
      size: bytes.length,
      sha256: sha256Of(bytes),
    });

    beforeAll(async () => {
      const next = await request(app.url, '/api/work/next', { token: token.operator1, body: { count: 6 } });
      items = nextResponseSchema.parse(next.body).items;
    });

    it('is rejected, on its own, when a file was never uploaded', async () => {
      const { exception, lease } = take();
      const missing = Buffer.from('%PDF-1.4 never uploaded');
      const result = await push(withAttachments(resolve(exception, lease.leaseId, ESCALATE), [ref(missing)]));
      expect(result.outcome).toBe('rejected');
      expect(result.reason).toMatch(/never uploaded/);
    });

    it('is rejected when the file was uploaded by someone else (a hash alone proves nothing)', async () => {
      const theirs = Buffer.from('%PDF-1.4 operator2 only');
      const up = await upload(theirs, { as: 'operator2' });
      expect(up.status).toBe(201);
      const { exception, lease } = take();
      const result = await push(withAttachments(resolve(exception, lease.leaseId, ESCALATE), [ref(theirs)]));
      expect(result.outcome).toBe('rejected');
    });

    it('is rejected when it states another type than the verified one', async () => {
      expect([200, 201]).toContain((await upload(FILES.png, { type: 'image/png', name: 'shot.png' })).status);
      const { exception, lease } = take();
      const result = await push(
        withAttachments(resolve(exception, lease.leaseId, ESCALATE), [ref(FILES.png, 'application/pdf')]),
      );
      expect(result.outcome).toBe('rejected');
      expect(result.reason).toMatch(/image\/png/);
    });

    it('is applied once its files are uploaded', async () => {
      const { exception, lease } = take();
      const result = await push(
        withAttachments(resolve(exception, lease.leaseId, ESCALATE), [ref(FILES.pdf)]),
      );
      expect(result).toMatchObject({ outcome: 'applied' });
      const [row] = await app.db.query<{ answers: Record<string, unknown> }>(
        'SELECT answers FROM exception_resolutions WHERE exception_id = $1',
        [exception.id],
      );
      expect(JSON.stringify(row?.answers)).toContain(sha256Of(FILES.pdf));
    });
  });
});
