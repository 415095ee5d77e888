import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersResponseSchema } from '@shared/api/users';
import { DEMO_PASSWORD, DEMO_WORK_TYPES } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';

describe.each(databaseTargets())('GET /api/users on $kind', (target) => {
  let app: TestApp;
  let leadToken: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 0 });
    leadToken = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists operators with the exception types each may be allocated', async () => {
    const res = await request(app.url, '/api/users?role=operator', { token: leadToken });
    expect(res.status).toBe(200);
    const { users } = usersResponseSchema.parse(res.body);
    // admin1 holds the operator role for the screens but is granted no work types.
    expect(users.map((u) => u.username).sort()).toEqual(['admin1', 'operator1', 'operator2']);
    const op2 = users.find((u) => u.id === 'user-operator2');
    expect(op2).toMatchObject({ username: 'operator2', displayName: 'Miguel Santos', roles: ['operator'] });
    expect(op2?.workTypes).toEqual([...(DEMO_WORK_TYPES['user-operator2'] ?? [])].sort());
    expect(users.find((u) => u.username === 'admin1')?.workTypes).toEqual([]);
  });

  it('lists everyone without a role filter', async () => {
    const res = await request(app.url, '/api/users', { token: leadToken });
    const { users } = usersResponseSchema.parse(res.body);
    expect(users.map((u) => u.username).sort()).toEqual([
      'admin1',
      'lead1',
      'operator1',
      'operator2',
      'qa1',
      'trainer1',
    ]);
  });

  it('refuses an unknown role and non-supervisors', async () => {
    expectApiError(
      await request(app.url, '/api/users?role=boss', { token: leadToken }),
      400,
      'invalid_request',
    );
    const op = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    expectApiError(await request(app.url, '/api/users?role=operator', { token: op }), 403, 'forbidden');
  });
});
