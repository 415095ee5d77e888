import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@shared/roles';
import { hashPassword } from '../../server/src/auth/passwords';
import { insertUser } from '../../server/src/features/auth/users-repo';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request, type JsonResponse } from './helpers/http';
import { nextResponseSchema, type LeasedItem } from '@shared/api/work';
import { pushResponseSchema } from '@shared/sync/mutations';
import { aboveThreshold, mutation, resolve, type ResolveSpec } from './helpers/mutations';
import { sha256Of } from '../support/evidence-files';
import { postRaw, uploadSop } from '../support/sop-upload';

type Caller = Role | 'anonymous';
const CALLERS: readonly Caller[] = ['operator', 'qa', 'trainer', 'lead', 'admin', 'anonymous'];

/** One user per role holding only that role (the demo admin holds every role, so it gets a stand-in). */
const USERNAME: Record<Role, string> = {
  operator: 'operator1',
  qa: 'qa1',
  trainer: 'trainer1',
  lead: 'lead1',
  admin: 'admin-only',
};

interface Ctx {
  url: string;
  app: TestApp;
  token: (caller: Caller) => string | undefined;
  /** An exception leased to operator1 that no other case has used yet. */
  leasedToOperator1: () => Promise<string>;
  /** An open exception no other case has used yet. */
  openItem: () => Promise<string>;
  /**
   * An approval operator1 requested (a resolution above its SOP threshold), pending: a fresh one
   * for a caller who will decide it, one shared by those who will be refused.
   */
  pendingApproval: (caller: Caller) => Promise<string>;
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** 'public' = no token needed; otherwise the roles admitted (everyone else: 403, no token: 401). */
  allowed: 'public' | readonly Role[];
  /** The ownership rule, as the route enforces it beyond the role check. */
  ownership: string;
  /**
   * What an admitted caller gets when the case has no real target (an unknown id): the role check
   * passed and the route looked the target up. Default: any 2xx.
   */
  admitted?: number;
  call: (ctx: Ctx, caller: Caller) => Promise<JsonResponse>;
}

async function sse(url: string, token: string | undefined): Promise<JsonResponse> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/sync/events`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  const body = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as unknown) : null;
  controller.abort();
  return { status: res.status, body };
}

/** Uploads `text` as a text file evidence (raw body, not JSON). */
async function putEvidence(url: string, token: string | undefined, text: string): Promise<JsonResponse> {
  const bytes = Buffer.from(text);
  const res = await fetch(`${url}/api/evidence/${sha256Of(bytes)}?name=matrix.txt`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const EVERY_ROLE: readonly Role[] = ['operator', 'qa', 'trainer', 'lead', 'admin'];

/** A QA draw of today's resolutions (none yet: an empty, recorded draw). */
const QA_DRAW_BODY = {
  lotDate: new Date().toISOString().slice(0, 10),
  policy: {
    id: 'matrix',
    graduation: { minItems: 10, minAccuracyPercent: '90' },
    risk: { varianceAtLeast: {}, writeOffs: true, escalations: true },
    rules: [{ sopModuleId: '*', tier: 'standard', method: { kind: 'lot', aql: '2.5', level: 'II' } }],
  },
};

/** Every route of the API: who may call it and what else it checks. */
const ROUTES: readonly RouteCase[] = [
  {
    method: 'GET',
    path: '/api/health',
    allowed: 'public',
    ownership: '-',
    call: (c) => request(c.url, '/api/health'),
  },
  {
    method: 'GET',
    path: '/api/openapi.json',
    allowed: 'public',
    ownership: '-',
    call: (c) => request(c.url, '/api/openapi.json'),
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    allowed: 'public',
    ownership: 'the credentials',
    call: (c) => request(c.url, '/api/auth/login', { body: { username: 'qa1', password: DEMO_PASSWORD } }),
  },
  {
    method: 'POST',
    path: '/api/auth/refresh',
    allowed: 'public',
    ownership: 'the refresh token',
    call: async (c) => {
      const t = await login(c.url, 'qa1', DEMO_PASSWORD);
      return request(c.url, '/api/auth/refresh', { body: { refreshToken: t.refreshToken } });
    },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    allowed: 'public',
    ownership: 'the refresh token',
    call: async (c) => {
      const t = await login(c.url, 'qa1', DEMO_PASSWORD);
      return request(c.url, '/api/auth/logout', { body: { refreshToken: t.refreshToken } });
    },
  },
  {
    method: 'GET',
    path: '/api/sync/pull',
    allowed: EVERY_ROLE,
    ownership: 'rows scoped: operators their leased items, trainers none, others all',
    call: (c, who) => request(c.url, '/api/sync/pull?limit=5', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/sync/events',
    allowed: EVERY_ROLE,
    ownership: 'events scoped like the pull',
    call: (c, who) => sse(c.url, c.token(who)),
  },
  {
    method: 'POST',
    path: '/api/sync/push',
    allowed: ['operator', 'lead', 'admin'],
    ownership: 'per mutation: the lease (start/resolve/skip), the holder or a lead/admin (note)',
    call: async (c, who) => {
      const id = await c.leasedToOperator1();
      const m = mutation({ kind: 'exception.note', exceptionId: id, text: `note by ${who}` });
      return request(c.url, '/api/sync/push', {
        token: c.token(who),
        body: { clientId: randomUUID(), mutations: [m] },
      });
    },
  },
  {
    method: 'GET',
    path: '/api/exceptions/{id}',
    allowed: ['operator', 'qa', 'lead', 'admin'],
    ownership: 'operator: only exceptions assigned to them (else 404)',
    call: async (c, who) =>
      request(c.url, `/api/exceptions/${await c.leasedToOperator1()}`, { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/exceptions/{id}/notes',
    allowed: ['operator', 'qa', 'lead', 'admin'],
    ownership: 'operator: only exceptions assigned to them (else 404)',
    // Reading takes nothing: every caller reads the same item of operator1's.
    call: async (c, who) => {
      const rows = await c.app.db.query<{ id: string }>(
        `SELECT id FROM exceptions WHERE assignee_id = 'user-operator1' ORDER BY id LIMIT 1`,
      );
      return request(c.url, `/api/exceptions/${rows[0]!.id}/notes`, { token: c.token(who) });
    },
  },
  {
    method: 'GET',
    path: '/api/exceptions/{id}/history',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: async (c, who) =>
      request(c.url, `/api/exceptions/${await c.openItem()}/history`, { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/work/next',
    allowed: ['operator'],
    ownership: 'only types in user_work_types',
    call: (c, who) => request(c.url, '/api/work/next', { token: c.token(who), body: { count: 1 } }),
  },
  {
    method: 'POST',
    path: '/api/work/renew',
    allowed: ['operator'],
    ownership: "only the caller's leases (others come back as lost)",
    call: (c, who) =>
      request(c.url, '/api/work/renew', { token: c.token(who), body: { leaseIds: [randomUUID()] } }),
  },
  {
    method: 'POST',
    path: '/api/work/release',
    allowed: ['operator', 'lead', 'admin'],
    ownership: 'operator: only their own lease (else 404); lead/admin: any',
    call: async (c, who) =>
      request(c.url, '/api/work/release', {
        token: c.token(who),
        body: { exceptionId: await c.leasedToOperator1(), reason: 'route matrix' },
      }),
  },
  {
    method: 'POST',
    path: '/api/work/reassign',
    allowed: ['lead', 'admin'],
    ownership: 'target must be an operator allowed the type (else 409)',
    call: async (c, who) =>
      request(c.url, '/api/work/reassign', {
        token: c.token(who),
        body: { exceptionId: await c.openItem(), toUserId: 'user-operator1', reason: 'route matrix' },
      }),
  },
  {
    method: 'GET',
    path: '/api/users',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/users?role=operator', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/users/{id}/deactivate',
    allowed: ['admin'],
    ownership: 'never oneself (409)',
    admitted: 404,
    call: (c, who) =>
      request(c.url, '/api/users/no-such-user/deactivate', {
        body: { reason: 'route matrix' },
        token: c.token(who),
      }),
  },
  {
    method: 'GET',
    path: '/api/sops',
    allowed: EVERY_ROLE,
    ownership: '-',
    call: (c, who) => request(c.url, '/api/sops', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/approvals',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/approvals', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/approvals/{id}/decision',
    allowed: ['lead', 'admin'],
    ownership: 'never a resolution the caller requested (403)',
    call: async (c, who) =>
      request(c.url, `/api/approvals/${await c.pendingApproval(who)}/decision`, {
        token: c.token(who),
        body: { decision: 'approve' },
      }),
  },
  {
    method: 'PUT',
    path: '/api/evidence/{sha256}',
    allowed: ['operator', 'lead', 'admin'],
    ownership: 'body must hash to the path; type by content; records the uploader',
    call: (c, who) => putEvidence(c.url, c.token(who), `matrix upload by ${who}`),
  },
  {
    method: 'GET',
    path: '/api/evidence/{sha256}',
    allowed: ['operator', 'qa', 'lead', 'admin'],
    ownership: 'operator: only files they uploaded (else 404); qa/lead/admin: any',
    call: async (c, who) => {
      const text = 'evidence operator1 uploaded for the matrix';
      await putEvidence(c.url, c.token('operator'), text);
      const res = await fetch(`${c.url}/api/evidence/${sha256Of(Buffer.from(text))}`, {
        headers: c.token(who) ? { authorization: `Bearer ${c.token(who) ?? ''}` } : {},
      });
      await res.arrayBuffer();
      return { status: res.status, body: null };
    },
  },
  {
    method: 'POST',
    path: '/api/qa/draws',
    allowed: ['lead', 'admin'],
    ownership: 'operators never see which items were sampled',
    call: (c, who) => request(c.url, '/api/qa/draws', { token: c.token(who), body: QA_DRAW_BODY }),
  },
  {
    method: 'GET',
    path: '/api/qa/draws/{id}',
    allowed: ['lead', 'admin'],
    ownership: 'operators never see which items were sampled',
    call: async (c, who) => {
      const made = await request(c.url, '/api/qa/draws', { token: c.token('lead'), body: QA_DRAW_BODY });
      const { id } = (made.body as { draw: { id: string } }).draw;
      return request(c.url, `/api/qa/draws/${id}`, { token: c.token(who) });
    },
  },
  {
    method: 'GET',
    path: '/api/recon/mappings/accounts',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/recon/mappings/accounts', { token: c.token(who) }),
  },
  {
    method: 'PUT',
    path: '/api/recon/mappings/accounts',
    allowed: ['lead', 'admin'],
    ownership: 'audited with what it was before',
    call: (c, who) =>
      request(c.url, '/api/recon/mappings/accounts', {
        method: 'PUT',
        token: c.token(who),
        body: {
          channel: 'aws',
          partnerAccount: `matrix-${who}`,
          customerId: 'CUST-M',
          customerName: 'Matrix',
        },
      }),
  },
  {
    method: 'GET',
    path: '/api/recon/mappings/skus',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/recon/mappings/skus', { token: c.token(who) }),
  },
  {
    method: 'PUT',
    path: '/api/recon/mappings/skus',
    allowed: ['lead', 'admin'],
    ownership: 'audited with what it was before',
    call: (c, who) =>
      request(c.url, '/api/recon/mappings/skus', {
        method: 'PUT',
        token: c.token(who),
        body: { channel: 'gcp', partnerProduct: `matrix-${who}`, sku: 'SKU-M' },
      }),
  },
  {
    method: 'POST',
    path: '/api/recon/runs',
    allowed: ['lead', 'admin'],
    ownership: 'audited; the run is recorded with who ran it',
    call: (c, who) => request(c.url, '/api/recon/runs', { token: c.token(who), body: { period: '2026-03' } }),
  },
  {
    method: 'GET',
    path: '/api/recon/runs',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/recon/runs', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/recon/runs/{id}',
    allowed: ['lead', 'admin'],
    ownership: '-',
    admitted: 404,
    call: (c, who) => request(c.url, '/api/recon/runs/999999', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/ingest/files',
    allowed: ['lead', 'admin'],
    ownership: 'all or nothing; the batch records who imported it',
    admitted: 422,
    call: async (c, who) => {
      const res = await postRaw(
        c.url,
        '/api/ingest/files',
        c.token(who),
        Buffer.from('not,a,known\nheader,row,x\n'),
        {
          name: `matrix-${who}.csv`,
        },
      );
      return { status: res.status, body: res.body };
    },
  },
  {
    method: 'GET',
    path: '/api/ingest/batches',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/ingest/batches', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/qa/reviews',
    allowed: ['qa'],
    ownership: "never the caller's own work; calibration reviews only the caller's",
    call: (c, who) => request(c.url, '/api/qa/reviews?state=pending', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/qa/my-reviews',
    allowed: ['operator'],
    ownership: "only scored live reviews of the caller's own work",
    call: (c, who) => request(c.url, '/api/qa/my-reviews', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/qa/reviews/{id}',
    allowed: ['operator', 'qa', 'lead', 'admin'],
    ownership:
      'operator: only scored reviews of their own work; calibration: blind until complete (else 404)',
    admitted: 404,
    call: (c, who) => request(c.url, `/api/qa/reviews/${randomUUID()}`, { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/qa/reviews/{id}/submit',
    allowed: ['qa'],
    ownership: 'never of your own work (403); a scored review is never re-scored (409)',
    admitted: 404,
    call: (c, who) =>
      request(c.url, `/api/qa/reviews/${randomUUID()}/submit`, {
        token: c.token(who),
        body: { items: [{ id: 'step:item', outcome: 'pass' }] },
      }),
  },
  {
    method: 'POST',
    path: '/api/qa/reviews/{id}/dispute',
    allowed: ['operator'],
    ownership: 'only a scored review of your own work, once (409 after)',
    admitted: 404,
    call: (c, who) =>
      request(c.url, `/api/qa/reviews/${randomUUID()}/dispute`, {
        token: c.token(who),
        body: { comment: 'this check was done', contested: ['step:item'] },
      }),
  },
  {
    method: 'GET',
    path: '/api/qa/disputes',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/qa/disputes', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/qa/disputes/{id}/decision',
    allowed: ['lead', 'admin'],
    ownership: 'never on a review you scored or about your own work (403); once (409)',
    admitted: 404,
    call: (c, who) =>
      request(c.url, `/api/qa/disputes/${randomUUID()}/decision`, {
        token: c.token(who),
        body: { decision: 'reject', comment: 'the finding stands' },
      }),
  },
  {
    method: 'POST',
    path: '/api/qa/calibrations',
    allowed: ['lead', 'admin'],
    ownership: "reviewers must be QA reviewers and none the item's operator (403)",
    // Open items have no resolution to review: the route looked them up.
    admitted: 400,
    call: async (c, who) =>
      request(c.url, '/api/qa/calibrations', {
        token: c.token(who),
        body: {
          exceptionIds: [await c.openItem(), await c.openItem()],
          reviewerIds: ['user-qa1', 'user-admin1'],
        },
      }),
  },
  {
    method: 'GET',
    path: '/api/qa/calibrations/{id}',
    allowed: ['qa', 'lead', 'admin'],
    ownership: 'qa: only rounds they review (else 404); scores only once every review is in',
    admitted: 404,
    call: (c, who) => request(c.url, `/api/qa/calibrations/${randomUUID()}`, { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/qa/figures',
    allowed: ['qa', 'lead', 'admin'],
    ownership: 'live reviews only; calibration never counts',
    call: (c, who) => {
      const day = new Date().toISOString().slice(0, 10);
      return request(c.url, `/api/qa/figures?from=${day}&to=${day}`, { token: c.token(who) });
    },
  },
  {
    method: 'GET',
    path: '/api/kpis',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/kpis?from=2026-11-01&to=2026-11-30', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/kpis/me',
    allowed: ['operator'],
    ownership: "only the caller's own figures",
    call: (c, who) => request(c.url, '/api/kpis/me', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/kpis/drill',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) =>
      request(c.url, `/api/kpis/drill?filter=${encodeURIComponent('{"statuses":["open"]}')}`, {
        token: c.token(who),
      }),
  },
  {
    method: 'GET',
    path: '/api/close/{period}',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/close/2030-01', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/close/{period}/sign-off',
    allowed: ['lead', 'admin'],
    ownership: 'preparer and reviewer are two different people (403)',
    // Each admitted caller prepares a month of its own (nothing blocks a month with no data).
    call: (c, who) =>
      request(c.url, `/api/close/${who === 'lead' ? '2031-01' : '2031-02'}/sign-off`, {
        token: c.token(who),
        body: { as: 'preparer' },
      }),
  },
  {
    method: 'POST',
    path: '/api/close/{period}/reopen',
    allowed: ['lead', 'admin'],
    ownership: '-',
    admitted: 409,
    call: (c, who) =>
      request(c.url, '/api/close/2032-01/reopen', { token: c.token(who), body: { reason: 'route matrix' } }),
  },
  {
    method: 'POST',
    path: '/api/close/{period}/explanations',
    allowed: ['lead', 'admin'],
    ownership: 'only exceptions of that period (404)',
    admitted: 404,
    call: (c, who) =>
      request(c.url, '/api/close/2032-02/explanations', {
        token: c.token(who),
        body: { exceptionId: 'EX-NONE', text: 'route matrix' },
      }),
  },
  {
    method: 'PUT',
    path: '/api/close/settings',
    allowed: ['admin'],
    ownership: '-',
    call: (c, who) =>
      request(c.url, '/api/close/settings', {
        method: 'PUT',
        token: c.token(who),
        body: { expectedFeeds: [], materiality: [] },
      }),
  },
  {
    method: 'GET',
    path: '/api/exports/{kind}',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: async (c, who) => {
      const res = await fetch(`${c.url}/api/exports/kpis?format=csv`, {
        headers: c.token(who) ? { authorization: `Bearer ${c.token(who) ?? ''}` } : {},
      });
      await res.arrayBuffer();
      return { status: res.status, body: null };
    },
  },
  {
    method: 'GET',
    path: '/api/conflicts',
    allowed: ['lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/conflicts', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/sops/uploads',
    allowed: ['trainer', 'admin'],
    ownership: 'checked whole before anything is stored; a draft until published',
    admitted: 400,
    call: async (c, who) => {
      const res = await uploadSop(c.url, c.token(who), Buffer.from('not: [a module'), {
        name: 'module.yaml',
      });
      return { status: res.status, body: res.body };
    },
  },
  {
    method: 'GET',
    path: '/api/sops/library',
    allowed: ['trainer', 'lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/sops/library', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/sops/{module}/versions/{version}',
    allowed: ['trainer', 'lead', 'admin'],
    ownership: '-',
    call: (c, who) => request(c.url, '/api/sops/rate-mismatch/versions/1.0.0', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/sops/{module}/versions/{version}/publish',
    allowed: ['trainer', 'admin'],
    ownership: 'only a draft; semver and type ownership checked (409)',
    admitted: 404,
    call: (c, who) =>
      request(c.url, '/api/sops/rate-mismatch/versions/9.9.9/publish', { token: c.token(who), body: {} }),
  },
  {
    method: 'POST',
    path: '/api/sops/{module}/versions/{version}/retire',
    allowed: ['trainer', 'admin'],
    ownership: 'never the last live version (409)',
    admitted: 404,
    call: (c, who) =>
      request(c.url, '/api/sops/rate-mismatch/versions/9.9.9/retire', {
        token: c.token(who),
        body: { reason: 'route matrix' },
      }),
  },
  {
    method: 'GET',
    path: '/api/sops/{module}/diff',
    allowed: ['trainer', 'lead', 'admin'],
    ownership: '-',
    call: (c, who) =>
      request(c.url, '/api/sops/rate-mismatch/diff?from=1.0.0&to=1.0.0', { token: c.token(who) }),
  },
  {
    method: 'GET',
    path: '/api/sops/template.xlsx',
    allowed: ['trainer', 'lead', 'admin'],
    ownership: '-',
    call: async (c, who) => {
      const res = await fetch(`${c.url}/api/sops/template.xlsx`, {
        headers: c.token(who) ? { authorization: `Bearer ${c.token(who) ?? ''}` } : {},
      });
      await res.arrayBuffer();
      return { status: res.status, body: null };
    },
  },
  {
    method: 'POST',
    path: '/api/practice/{module}/attempts',
    allowed: ['operator'],
    ownership: "certifies the caller only, on the module's live version",
    call: (c, who) =>
      request(c.url, '/api/practice/rate-mismatch/attempts', {
        token: c.token(who),
        body: { exercises: [] },
      }),
  },
  {
    method: 'GET',
    path: '/api/certifications/matrix',
    allowed: ['trainer', 'lead', 'admin'],
    ownership: "a lead with a team: that team's operators",
    call: (c, who) => request(c.url, '/api/certifications/matrix', { token: c.token(who) }),
  },
  {
    method: 'POST',
    path: '/api/users',
    allowed: ['admin'],
    ownership: 'usernames unique (409)',
    call: (c, who) =>
      request(c.url, '/api/users', {
        token: c.token(who),
        body: {
          username: `matrix-${randomUUID().slice(0, 8)}`,
          displayName: 'Matrix Person',
          roles: ['qa'],
          password: 'matrix-password-long',
        },
      }),
  },
  {
    method: 'PUT',
    path: '/api/users/{id}/access',
    allowed: ['admin'],
    ownership: "never one's own admin role (409)",
    admitted: 404,
    call: (c, who) =>
      request(c.url, '/api/users/no-such-user/access', {
        token: c.token(who),
        method: 'PUT',
        body: { roles: ['qa'], team: null, reason: 'route matrix' },
      }),
  },
  {
    method: 'POST',
    path: '/api/users/{id}/password',
    allowed: ['admin'],
    ownership: 'ends every session of that user',
    admitted: 404,
    call: (c, who) =>
      request(c.url, '/api/users/no-such-user/password', {
        token: c.token(who),
        body: { password: 'matrix-password-long' },
      }),
  },
];

function expectedStatus(route: RouteCase, caller: Caller): 'ok' | number {
  if (route.allowed === 'public') return 'ok';
  if (caller === 'anonymous') return 401;
  if (!route.allowed.includes(caller)) return 403;
  return route.admitted ?? 'ok';
}

describe.each(databaseTargets())('route x role matrix on $kind', (target) => {
  let ctx: Ctx;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 400 });
    await insertUser(app.db, {
      username: 'admin-only',
      displayName: 'Admin Only',
      roles: ['admin'],
      passwordHash: await hashPassword(DEMO_PASSWORD),
    });
    const tokens = new Map<Caller, string>();
    for (const role of EVERY_ROLE)
      tokens.set(role, (await login(app.url, USERNAME[role], DEMO_PASSWORD)).accessToken);
    const used = new Set<string>();
    let sharedApproval: string | undefined;
    const take = async (sql: string): Promise<string> => {
      const rows = await app.db.query<{ id: string }>(sql);
      const id = rows.map((r) => r.id).find((i) => !used.has(i));
      if (!id) throw new Error(`no unused exception for ${sql}`);
      used.add(id);
      return id;
    };
    ctx = {
      url: app.url,
      app,
      token: (caller) => (caller === 'anonymous' ? undefined : tokens.get(caller)),
      leasedToOperator1: () =>
        take(
          `SELECT id FROM exceptions WHERE assignee_id = 'user-operator1' AND lease_id IS NOT NULL ORDER BY id`,
        ),
      openItem: () => take(`SELECT id FROM exceptions WHERE status = 'open' ORDER BY id`),
      pendingApproval: async (caller) => {
        const refused = caller !== 'lead' && caller !== 'admin';
        if (refused && sharedApproval) return sharedApproval;
        // An item allocated to operator1 now (the demo's leased ones are for the cases above).
        const operator = tokens.get('operator');
        // Only an item whose variance is above a threshold can be held (a resolution settles no
        // more than its variance): take items until one is.
        const at = new Date();
        let found: { item: LeasedItem; spec: ResolveSpec } | null = null;
        while (!found) {
          const next = await request(app.url, '/api/work/next', { token: operator, body: { count: 1 } });
          const item = nextResponseSchema.parse(next.body).items[0];
          if (!item) throw new Error('nothing left to allocate to operator1');
          try {
            found = { item, spec: aboveThreshold(item.exception, at.toISOString().slice(0, 10)) };
          } catch {
            // Within every threshold: leave it leased, take the next.
          }
        }
        const { exception, lease } = found.item;
        const id = exception.id;
        const body = resolve(exception, lease.leaseId, found.spec, at);
        const pushed = await request(app.url, '/api/sync/push', {
          token: operator,
          body: { clientId: randomUUID(), mutations: [mutation(body, at)] },
        });
        expect(pushResponseSchema.parse(pushed.body).results[0]?.outcome).toBe('applied');
        const [approval] = await app.db.query<{ id: string }>(
          `SELECT id::text AS id FROM approvals WHERE exception_id = $1 AND state = 'pending'`,
          [id],
        );
        if (!approval) throw new Error(`no pending approval for ${id}`);
        if (refused) sharedApproval = approval.id;
        return approval.id;
      },
    };
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists every route the server registers', async () => {
    const doc = (await request(app.url, '/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const tested = ROUTES.filter((r) => r.path !== '/api/openapi.json').map((r) => `${r.method} ${r.path}`);
    expect(tested.sort()).toEqual(documented.sort());
  });

  for (const route of ROUTES) {
    for (const caller of CALLERS) {
      const expected = expectedStatus(route, caller);
      it(`${route.method} ${route.path} as ${caller}: ${expected === 'ok' ? '2xx' : String(expected)}`, async () => {
        const res = await route.call(ctx, caller);
        if (expected === 'ok') expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(200);
        if (expected === 'ok') expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
        else expect(res.status, JSON.stringify(res.body)).toBe(expected);
      });
    }
  }

  describe('ownership', () => {
    it("an operator cannot read, release or note another operator's exception", async () => {
      const theirs = await ctx.leasedToOperator1();
      const op2 = (await login(app.url, 'operator2', DEMO_PASSWORD)).accessToken;
      expect((await request(app.url, `/api/exceptions/${theirs}`, { token: op2 })).status).toBe(404);
      expect((await request(app.url, `/api/exceptions/${theirs}/notes`, { token: op2 })).status).toBe(404);
      const release = await request(app.url, '/api/work/release', {
        token: op2,
        body: { exceptionId: theirs, reason: 'not mine' },
      });
      expect(release.status).toBe(404);
      const push = await request(app.url, '/api/sync/push', {
        token: op2,
        body: {
          clientId: randomUUID(),
          mutations: [mutation({ kind: 'exception.note', exceptionId: theirs, text: 'hi' })],
        },
      });
      expect(push.status).toBe(200);
      expect(push.body).toMatchObject({ results: [{ outcome: 'rejected' }] });
    });

    it("an operator cannot act under another operator's lease", async () => {
      const theirs = await ctx.leasedToOperator1();
      const lease = await app.db.query<{ lease_id: string }>(
        'SELECT lease_id FROM exceptions WHERE id = $1',
        [theirs],
      );
      const op2 = (await login(app.url, 'operator2', DEMO_PASSWORD)).accessToken;
      const push = await request(app.url, '/api/sync/push', {
        token: op2,
        body: {
          clientId: randomUUID(),
          mutations: [
            mutation({ kind: 'exception.start', exceptionId: theirs, leaseId: lease[0]?.lease_id ?? '' }),
          ],
        },
      });
      expect(push.body).toMatchObject({ results: [{ outcome: 'rejected' }] });
      const state = await app.db.query<{ status: string }>('SELECT status FROM exceptions WHERE id = $1', [
        theirs,
      ]);
      expect(state[0]?.status).not.toBe('in_progress');
    });
  });
});
