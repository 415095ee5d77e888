import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificationMatrixResponseSchema, practiceAttemptResponseSchema } from '@shared/api/sop-library';
import { sopsResponseSchema } from '@shared/api/sops';
import { nextResponseSchema, renewResponseSchema } from '@shared/api/work';
import { pullResponseSchema } from '@shared/api/sync';
import type { SopModule } from '@shared/sop/module';
import { expectedSubmissions } from '@shared/sop/practice';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { moduleZip, uploadSop } from '../support/sop-upload';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';

const MODULE = 'rate-mismatch';
const TYPE = 'rate_mismatch';

describe.each(databaseTargets())('certification gates get-next on $kind', (target) => {
  let app: TestApp;
  let admin: string;
  let trainer: string;
  let lead: string;
  let op: string;
  let module: SopModule;

  const next = async (count = 200) => {
    const res = await request(app.url, '/api/work/next', { token: op, body: { count } });
    expect(res.status).toBe(200);
    return nextResponseSchema.parse(res.body).items;
  };
  const practice = async (body: unknown) => {
    const res = await request(app.url, `/api/practice/${MODULE}/attempts`, { token: op, body });
    expect(res.status).toBe(200);
    return practiceAttemptResponseSchema.parse(res.body);
  };
  const asSubmission = (m: SopModule) => ({ version: m.version, exercises: expectedSubmissions(m) });

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 600 });
    admin = (await login(app.url, 'admin1', DEMO_PASSWORD)).accessToken;
    trainer = (await login(app.url, 'trainer1', DEMO_PASSWORD)).accessToken;
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    const created = await request(app.url, '/api/users', {
      token: admin,
      body: {
        username: 'trainee1',
        displayName: 'Tara Trainee',
        roles: ['operator'],
        team: 'north',
        password: 'a-long-first-password',
      },
    });
    expect(created.status).toBe(201);
    op = (await login(app.url, 'trainee1', 'a-long-first-password')).accessToken;
    const sops = sopsResponseSchema.parse((await request(app.url, '/api/sops', { token: op })).body);
    module = sops.modules.find((m) => m.id === MODULE) as SopModule;
    const [open] = await app.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM exceptions WHERE status = 'open' AND type = $1 AND assignee_id IS NULL`,
      [TYPE],
    );
    expect(Number(open?.n)).toBeGreaterThan(2);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an uncertified operator gets nothing from get-next, the prefetch or the pull', async () => {
    expect(await next(200)).toEqual([]);
    const pulled = pullResponseSchema.parse(
      (await request(app.url, '/api/sync/pull?cursor=0', { token: op })).body,
    );
    expect(pulled.changes.filter((c) => c.op === 'upsert')).toEqual([]);
  });

  it('a failed attempt gives feedback per step and certifies nothing', async () => {
    const wrong = asSubmission(module);
    const result = await practice({
      ...wrong,
      exercises: wrong.exercises.map((e) => ({
        ...e,
        answers: {},
        resolution: { code: 'NEEDS_INVESTIGATION', action: 'escalate' },
      })),
    });
    expect(result.passed).toBe(false);
    expect(result.certified).toBe(false);
    const steps = result.exercises[0]?.steps ?? [];
    expect(steps.find((s) => s.stepId === 'rates')?.messages.join(' ')).toMatch(
      /quantity: expected "420000000", answered nothing/,
    );
    expect(result.exercises[0]?.resolution.correct).toBe(false);
    expect(await next(200)).toEqual([]);
  });

  it('after passing, get-next and the prefetch hand items of that type only', async () => {
    const result = await practice(asSubmission(module));
    expect(result).toMatchObject({ passed: true, certified: true, scorePercent: 100 });
    const items = await next(3);
    expect(items.length).toBe(3);
    expect(new Set(items.map((i) => i.exception.type))).toEqual(new Set([TYPE]));
    const audit = await app.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = (SELECT id FROM users WHERE username = 'trainee1') AND action = 'certification.granted'`,
    );
    expect(audit.length).toBe(1);
  });

  it('a new major version keeps in-flight items, withholds new ones, and shows the operator as due', async () => {
    const held = await next(1);
    expect(held.length).toBe(1);
    const up = await uploadSop(app.url, trainer, moduleZip(MODULE, '2.0.0'), { name: 'rate-mismatch.zip' });
    expect(up.status).toBe(201);
    const pub = await request(app.url, `/api/sops/${MODULE}/versions/2.0.0/publish`, {
      token: trainer,
      body: {},
    });
    expect(pub.status).toBe(200);

    // The item already leased stays with its holder on the version it began with.
    const renewed = await request(app.url, '/api/work/renew', {
      token: op,
      body: { leaseIds: [held[0]!.lease.leaseId] },
    });
    expect(renewResponseSchema.parse(renewed.body).renewed.length).toBe(1);
    const sops = sopsResponseSchema.parse((await request(app.url, '/api/sops', { token: op })).body);
    expect(
      sops.modules
        .filter((m) => m.id === MODULE)
        .map((m) => m.version)
        .sort(),
    ).toEqual(['1.0.0', '2.0.0']);

    expect(await next(200)).toEqual([]);
    const matrix = certificationMatrixResponseSchema.parse(
      (await request(app.url, '/api/certifications/matrix', { token: lead })).body,
    );
    const row = matrix.operators.find((o) => o.displayName === 'Tara Trainee');
    expect(row?.cells.find((c) => c.moduleId === MODULE)).toMatchObject({ status: 'due', major: 1 });
    expect(matrix.modules.find((m) => m.id === MODULE)).toMatchObject({ version: '2.0.0', major: 2 });

    const v2 = sopsResponseSchema
      .parse((await request(app.url, '/api/sops', { token: op })).body)
      .modules.find((m) => m.id === MODULE && m.version === '2.0.0') as SopModule;
    expect((await practice(asSubmission(v2))).certified).toBe(true);
    const again = await next(2);
    expect(again.length).toBe(2);
    expect(again.every((i) => i.exception.type === TYPE)).toBe(true);
  });

  it('demo operators are certified through the same path', async () => {
    const rows = await app.db.query<{ user_id: string; n: string }>(
      `SELECT user_id, count(*)::text AS n FROM certifications WHERE certified_by = 'demo-seed' GROUP BY user_id ORDER BY user_id`,
    );
    expect(rows.map((r) => [r.user_id, Number(r.n)])).toEqual([
      ['user-operator1', 16],
      ['user-operator2', 8],
    ]);
  });
});
