import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personResponseSchema } from '@shared/api/people';
import { usersResponseSchema } from '@shared/api/users';
import { nextResponseSchema } from '@shared/api/work';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';

describe.each(databaseTargets())('people administration on $kind', (target) => {
  let app: TestApp;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 300 });
    admin = (await login(app.url, 'admin1', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates a user, refuses a taken name, and names the field of bad input', async () => {
    const body = {
      username: 'newlead',
      displayName: 'New Lead',
      roles: ['lead'],
      team: 'north',
      password: 'long-enough-password',
    };
    const res = await request(app.url, '/api/users', { token: admin, body });
    expect(res.status).toBe(201);
    expect(personResponseSchema.parse(res.body).user).toMatchObject({
      username: 'newlead',
      team: 'north',
      active: true,
    });
    expectApiError(await request(app.url, '/api/users', { token: admin, body }), 409, 'conflict');
    const short = expectApiError(
      await request(app.url, '/api/users', {
        token: admin,
        body: { ...body, username: 'x2', password: 'short' },
      }),
      400,
      'invalid_request',
    );
    expect(short.issues?.map((i) => i.path)).toContain('body.password');
    const nul = expectApiError(
      await request(app.url, '/api/users', {
        token: admin,
        body: { ...body, username: 'x3', displayName: 'a\u0000b' },
      }),
      400,
      'invalid_request',
    );
    expect(nul.issues?.map((i) => i.path)).toContain('body.displayName');
  });

  it('sets roles and team (audited), and a lead with a team sees only that team', async () => {
    const op2 = await request(app.url, '/api/users/user-operator2/access', {
      token: admin,
      method: 'PUT',
      body: { roles: ['operator'], team: 'north', reason: 'joined the north team' },
    });
    expect(op2.status).toBe(200);
    const lead = (await login(app.url, 'newlead', 'long-enough-password')).accessToken;
    const seen = usersResponseSchema.parse(
      (await request(app.url, '/api/users?role=operator', { token: lead })).body,
    );
    expect(seen.users.map((u) => u.username)).toEqual(['operator2']);
    const audit = await app.db.query<{ details: { to: { team: string } } }>(
      `SELECT details FROM audit_log WHERE action = 'user.access_changed' AND entity_id = 'user-operator2'`,
    );
    expect(audit[0]?.details.to.team).toBe('north');
    expectApiError(
      await request(app.url, '/api/users/user-admin1/access', {
        token: admin,
        method: 'PUT',
        body: { roles: ['lead'], team: null, reason: 'oops' },
      }),
      409,
      'conflict',
    );
  });

  it('a password reset ends the sessions the user holds', async () => {
    const before = await login(app.url, 'qa1', DEMO_PASSWORD);
    const reset = await request(app.url, '/api/users/user-qa1/password', {
      token: admin,
      body: { password: 'a-brand-new-password' },
    });
    expect(reset.status).toBe(200);
    expect((await request(app.url, '/api/sops', { token: before.accessToken })).status).toBe(401);
    await login(app.url, 'qa1', 'a-brand-new-password');
  });

  it('deactivation ends access within one request and returns leases to the queue', async () => {
    const op = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    const got = nextResponseSchema.parse(
      (await request(app.url, '/api/work/next', { token: op, body: { count: 3 } })).body,
    );
    expect(got.items.length).toBe(3);
    const ids = got.items.map((i) => i.exception.id);
    const res = await request(app.url, '/api/users/user-operator1/deactivate', {
      token: admin,
      body: { reason: 'left' },
    });
    expect(res.status).toBe(200);
    expect((await request(app.url, '/api/work/next', { token: op, body: { count: 1 } })).status).toBe(401);
    const rows = await app.db.query<{ status: string; n: string }>(
      `SELECT status, count(*)::text AS n FROM exceptions WHERE assignee_id = 'user-operator1' AND lease_id IS NOT NULL GROUP BY status`,
    );
    expect(rows).toEqual([]);
    const back = await app.db.query<{ id: string; status: string }>(
      `SELECT id, status FROM exceptions WHERE id = ANY($1::text[]) ORDER BY id`,
      [ids],
    );
    expect(back.every((r) => r.status === 'open')).toBe(true);
    const types = await app.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM user_work_types WHERE user_id = 'user-operator1'`,
    );
    expect(types[0]?.n).toBe('0');
  });
});
