import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { healthResponseSchema } from '@shared/api/health';
import { pullResponseSchema, type Change } from '@shared/api/sync';
import { tokenResponseSchema } from '@shared/api/auth';
import { exceptionRecordSchema, type ExceptionRecord } from '@shared/exception';
import { subtract } from '@shared/money';
import { LATEST_SCHEMA_VERSION } from '../../server/src/db/migrations/index';
import { DEMO_PASSWORD, DEMO_USERS } from '../../server/src/demo/users';
import { DEFAULT_DEMO_SEED } from '../../server/src/demo/seed';
import { generateDemoExceptions } from '@shared/demo/generate';
import { startServer, type RunningServer } from '../../server/src/start';
import { databaseTargets, type FreshDatabase } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';

const DEMO_COUNT = 250;

describe.each(databaseTargets())('central API on $kind', (target) => {
  let fresh: FreshDatabase;
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    fresh = await target.fresh();
    server = await startServer({ ...fresh.options, port: 0, demo: true, demoCount: DEMO_COUNT });
    url = server.url;
  });

  afterAll(async () => {
    await server?.close();
    await fresh?.cleanup();
  });

  it('listens on 127.0.0.1 with a random port', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers health with the database kind and the latest schema version', async () => {
    const res = await request(url, '/api/health');
    expect(res.status).toBe(200);
    const body = healthResponseSchema.parse(res.body);
    expect(body.database).toBe(target.kind);
    expect(body.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
  });

  it('publishes an OpenAPI 3 document with request and response schemas for every route', async () => {
    const res = await request(url, '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      openapi: string;
      info: { title: string; version: string };
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    const routes: [string, string][] = [
      ['/api/health', 'get'],
      ['/api/auth/login', 'post'],
      ['/api/auth/refresh', 'post'],
      ['/api/sync/pull', 'get'],
      ['/api/exceptions/{id}', 'get'],
      ['/api/sync/push', 'post'],
      ['/api/sync/events', 'get'],
      ['/api/work/next', 'post'],
      ['/api/work/renew', 'post'],
      ['/api/work/release', 'post'],
      ['/api/work/reassign', 'post'],
      ['/api/conflicts', 'get'],
      ['/api/sops', 'get'],
      ['/api/approvals', 'get'],
      ['/api/approvals/{id}/decision', 'post'],
      ['/api/users', 'get'],
      ['/api/users/{id}/deactivate', 'post'],
      ['/api/auth/logout', 'post'],
      ['/api/exceptions/{id}/history', 'get'],
      ['/api/exceptions/{id}/notes', 'get'],
      // Also `get` (the download); one method per path is enough for this list.
      ['/api/evidence/{sha256}', 'put'],
      ['/api/qa/draws', 'post'],
      ['/api/qa/draws/{id}', 'get'],
      ['/api/qa/reviews', 'get'],
      ['/api/qa/my-reviews', 'get'],
      ['/api/qa/reviews/{id}', 'get'],
      ['/api/qa/reviews/{id}/submit', 'post'],
      ['/api/qa/reviews/{id}/dispute', 'post'],
      ['/api/qa/disputes', 'get'],
      ['/api/qa/disputes/{id}/decision', 'post'],
      ['/api/qa/calibrations', 'post'],
      ['/api/qa/calibrations/{id}', 'get'],
      ['/api/qa/figures', 'get'],
      ['/api/certifications/matrix', 'get'],
      ['/api/close/settings', 'put'],
      ['/api/close/{period}', 'get'],
      ['/api/close/{period}/explanations', 'post'],
      ['/api/close/{period}/reopen', 'post'],
      ['/api/close/{period}/sign-off', 'post'],
      ['/api/exports/{kind}', 'get'],
      ['/api/kpis', 'get'],
      ['/api/kpis/me', 'get'],
      ['/api/kpis/drill', 'get'],
      ['/api/practice/{module}/attempts', 'post'],
      ['/api/recon/mappings/accounts', 'get'],
      ['/api/recon/mappings/skus', 'get'],
      // Also `get` (the list of runs).
      ['/api/recon/runs', 'post'],
      ['/api/recon/runs/{id}', 'get'],
      ['/api/ingest/files', 'post'],
      ['/api/ingest/batches', 'get'],
      ['/api/sops/library', 'get'],
      ['/api/sops/template.xlsx', 'get'],
      ['/api/sops/uploads', 'post'],
      ['/api/sops/{module}/diff', 'get'],
      ['/api/sops/{module}/versions/{version}', 'get'],
      ['/api/sops/{module}/versions/{version}/publish', 'post'],
      ['/api/sops/{module}/versions/{version}/retire', 'post'],
      ['/api/users/{id}/access', 'put'],
      ['/api/users/{id}/password', 'post'],
    ];
    expect(Object.keys(doc.paths).sort()).toEqual(routes.map(([p]) => p).sort());
    for (const [path, method] of routes) {
      const op = doc.paths[path]?.[method] as {
        responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
        requestBody?: { content: Record<string, { schema?: unknown }> };
        parameters?: { in: string; name: string }[];
      };
      expect(op, `${method} ${path}`).toBeDefined();
      // An upload answers 201 and takes the file's raw bytes; a publish names all it needs in its path.
      const upload = path === '/api/sops/uploads' || path === '/api/ingest/files';
      const jsonBody = !upload && path !== '/api/sops/{module}/versions/{version}/publish';
      const ok = upload ? '201' : '200';
      expect(op.responses[ok]?.content?.['application/json']?.schema, `${path} ${ok}`).toBeDefined();
      if (method === 'post' && jsonBody)
        expect(op.requestBody?.content['application/json']?.schema, `${path} body`).toBeDefined();
    }
    const pullParams = (doc.paths['/api/sync/pull']?.get?.parameters ?? []) as { in: string; name: string }[];
    expect(pullParams.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:cursor', 'query:limit']);
    const idParams = (doc.paths['/api/exceptions/{id}']?.get?.parameters ?? []) as {
      in: string;
      name: string;
    }[];
    expect(idParams.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id']);
    expect(doc.components.securitySchemes.bearerAuth).toBeDefined();
    for (const name of [
      'ExceptionRecord',
      'Change',
      'PullResponse',
      'TokenResponse',
      'ApiError',
      'Money',
      'Evidence',
    ]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.slice(8, -1);
      expect(target.startsWith('#/components/schemas/'), target).toBe(true);
      expect(doc.components.schemas[target.slice('#/components/schemas/'.length)], target).toBeDefined();
    }
  });

  describe('auth', () => {
    it('logs a demo user in with the right roles and a 15-minute access token', async () => {
      for (const demo of DEMO_USERS) {
        const tokens = await login(url, demo.username, DEMO_PASSWORD);
        expect(tokens.user.username).toBe(demo.username);
        expect([...tokens.user.roles].sort()).toEqual([...demo.roles].sort());
        expect(tokens.expiresIn).toBe(900);
        expect(tokens.accessToken.split('.')).toHaveLength(3);
        expect(tokens.refreshToken.length).toBeGreaterThanOrEqual(20);
      }
    });

    it('refuses a wrong password and an unknown user with the same 401 and no detail', async () => {
      const wrong = await request(url, '/api/auth/login', {
        body: { username: 'operator1', password: 'nope-nope' },
      });
      const unknown = await request(url, '/api/auth/login', {
        body: { username: 'ghost', password: 'nope-nope' },
      });
      const a = expectApiError(wrong, 401, 'unauthorized');
      const b = expectApiError(unknown, 401, 'unauthorized');
      expect(a).toEqual(b);
      expect(Object.keys(a).sort()).toEqual(['error', 'message']);
      expect(a.message).not.toMatch(/operator1|ghost|password hash|argon/i);
    });

    it('rejects a login body that misses a field with a precise issue', async () => {
      const res = await request(url, '/api/auth/login', { body: { username: 'operator1' } });
      const err = expectApiError(res, 400, 'invalid_request');
      expect(err.issues?.map((i) => i.path)).toEqual(['body.password']);
    });

    it('rotates refresh tokens: the old one is refused, and replaying it revokes the new one too', async () => {
      const first = await login(url, 'operator2', DEMO_PASSWORD);
      const res = await request(url, '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
      expect(res.status).toBe(200);
      const second = tokenResponseSchema.parse(res.body);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.user.username).toBe('operator2');
      expect((await request(url, '/api/sync/pull?limit=1', { token: second.accessToken })).status).toBe(200);

      const replay = await request(url, '/api/auth/refresh', { body: { refreshToken: first.refreshToken } });
      expectApiError(replay, 401, 'unauthorized');
      // The replay marks the chain as stolen: the legitimate successor is revoked as well.
      const afterTheft = await request(url, '/api/auth/refresh', {
        body: { refreshToken: second.refreshToken },
      });
      expectApiError(afterTheft, 401, 'unauthorized');
    });

    it('refuses an unknown refresh token', async () => {
      const res = await request(url, '/api/auth/refresh', { body: { refreshToken: 'x'.repeat(43) } });
      expectApiError(res, 401, 'unauthorized');
    });
  });

  describe('sync pull', () => {
    let token: string;
    beforeAll(async () => {
      // A lead reads the whole feed; operators' pulls are scoped (test/server/work-sync.test.ts).
      token = (await login(url, 'lead1', DEMO_PASSWORD)).accessToken;
    });

    it('needs a valid bearer token', async () => {
      expectApiError(await request(url, '/api/sync/pull'), 401, 'unauthorized');
      expectApiError(await request(url, '/api/sync/pull', { token: 'not.a.jwt' }), 401, 'unauthorized');
      const forged = await new SignJWT({ username: 'admin1', roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('user-admin1')
        .setIssuer('ledgerdesk')
        .setAudience('ledgerdesk-api')
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode('a-different-secret-that-is-long-enough-0123456789'));
      expectApiError(await request(url, '/api/sync/pull', { token: forged }), 401, 'unauthorized');
    });

    it('answers a bad query with 400 and the exact parameter at fault', async () => {
      const zero = expectApiError(
        await request(url, '/api/sync/pull?limit=0', { token }),
        400,
        'invalid_request',
      );
      expect(zero.issues).toHaveLength(1);
      expect(zero.issues?.[0]?.path).toBe('query.limit');
      expect(zero.issues?.[0]?.message).toMatch(/1/);
      const neg = expectApiError(
        await request(url, '/api/sync/pull?cursor=-5', { token }),
        400,
        'invalid_request',
      );
      expect(neg.issues?.map((i) => i.path)).toEqual(['query.cursor']);
      const text = expectApiError(
        await request(url, '/api/sync/pull?limit=lots', { token }),
        400,
        'invalid_request',
      );
      expect(text.issues?.map((i) => i.path)).toEqual(['query.limit']);
    });

    it('pages through the whole feed by cursor with no gap and no repeat', async () => {
      const seen: Change[] = [];
      let cursor = 0;
      let pages = 0;
      for (;;) {
        const res = await request(url, `/api/sync/pull?cursor=${cursor}&limit=37`, { token });
        expect(res.status).toBe(200);
        const page = pullResponseSchema.parse(res.body);
        pages += 1;
        expect(page.changes.length).toBeLessThanOrEqual(37);
        if (page.changes.length > 0) expect(page.cursor).toBe(page.changes[page.changes.length - 1]?.seq);
        else expect(page.cursor).toBe(cursor);
        seen.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) break;
        expect(pages).toBeLessThan(100);
      }
      expect(pages).toBe(Math.ceil(DEMO_COUNT / 37));
      const seqs = seen.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      // One seed transaction: its feed rows are consecutive.
      expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
      const ids = seen.map((c) => c.entityId).sort();
      expect(ids).toEqual(
        Array.from({ length: DEMO_COUNT }, (_, i) => `EX-${String(i + 1).padStart(6, '0')}`),
      );

      const end = pullResponseSchema.parse(
        (await request(url, `/api/sync/pull?cursor=${cursor}`, { token })).body,
      );
      expect(end).toEqual({ changes: [], cursor, hasMore: false });
    });

    it('sends records whose variance is exactly actual minus expected', async () => {
      const page = pullResponseSchema.parse((await request(url, '/api/sync/pull?limit=200', { token })).body);
      for (const change of page.changes) {
        if (change.op !== 'upsert') continue;
        expect(change.data.variance).toEqual(subtract(change.data.actual, change.data.expected));
      }
    });
  });

  describe('exceptions', () => {
    let token: string;
    beforeAll(async () => {
      token = (await login(url, 'lead1', DEMO_PASSWORD)).accessToken;
    });

    it('returns one exception equal to what the feed sent, with the evidence the feed leaves out', async () => {
      const page = pullResponseSchema.parse((await request(url, '/api/sync/pull?limit=20', { token })).body);
      const fromFeed = page.changes.find((c) => c.entityId === 'EX-000007');
      expect(fromFeed?.op).toBe('upsert');
      const res = await request(url, '/api/exceptions/EX-000007', { token });
      expect(res.status).toBe(200);
      const { evidence, ...summary }: ExceptionRecord = exceptionRecordSchema.parse(res.body);
      expect(summary).toEqual(fromFeed?.data);
      expect(fromFeed?.data).not.toHaveProperty('evidence');
      expect(evidence.length).toBeGreaterThan(0);
    });

    it("keeps each evidence row's columns in the partner report's order", async () => {
      const generated = generateDemoExceptions({
        count: DEMO_COUNT,
        seed: DEFAULT_DEMO_SEED,
        now: new Date(),
      }).find((e) => e.id === 'EX-000007');
      const res = await request(url, '/api/exceptions/EX-000007', { token });
      const record = exceptionRecordSchema.parse(res.body);
      expect(record.evidence.map((e) => Object.keys(e.fields))).toEqual(
        generated?.evidence.map((e) => Object.keys(e.fields)),
      );
    });

    it('answers 401 without a token, 404 for an unknown id, 400 for a malformed id', async () => {
      expectApiError(await request(url, '/api/exceptions/EX-000001'), 401, 'unauthorized');
      expectApiError(await request(url, '/api/exceptions/EX-999999', { token }), 404, 'not_found');
      const bad = expectApiError(
        await request(url, '/api/exceptions/hello', { token }),
        400,
        'invalid_request',
      );
      expect(bad.issues?.map((i) => i.path)).toEqual(['params.id']);
    });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const err = expectApiError(await request(url, '/api/does-not-exist'), 404, 'not_found');
    // The path is the caller's text, and error messages do not repeat it.
    expect(err.message).not.toContain('does-not-exist');
  });

  it('answers malformed JSON with a 400 in the shared error shape', async () => {
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expectApiError({ status: res.status, body: await res.json() }, 400, 'invalid_request');
  });
});
