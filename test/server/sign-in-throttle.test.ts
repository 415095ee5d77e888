import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema } from '@shared/api/errors';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startSecondApp, startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';

interface Attempt {
  status: number;
  retryAfter: string | null;
  message: string | undefined;
}

async function attempt(
  url: string,
  username: string,
  password: string,
  forwardedFor?: string,
): Promise<Attempt> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: JSON.stringify({ username, password }),
  });
  const body: unknown = await res.json();
  const parsed = apiErrorSchema.safeParse(body);
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    message: parsed.success ? parsed.data.message : undefined,
  };
}

async function failTimes(url: string, username: string, n: number, forwardedFor?: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await attempt(url, username, 'wrong-password', forwardedFor);
    expect(res.status, `attempt ${i + 1}`).toBe(401);
  }
}

describe.each(databaseTargets())('sign-in throttling on $kind', (target) => {
  let app: TestApp;
  let clock = Date.now();
  const now = (): Date => new Date(clock);

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 0, now });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses the 21st attempt within a minute, right password or not, says when to retry, and audits the lockout', async () => {
    await failTimes(app.url, 'operator1', 20);
    const refused = await attempt(app.url, 'operator1', DEMO_PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(59);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.message).toMatch(
      /too many sign-in attempts; try again in 60 seconds \(after \d\d:\d\d:\d\d UTC\)/,
    );

    // An account that does not exist is answered exactly alike: the lockout reveals nothing.
    await failTimes(app.url, 'nobody-by-this-name', 20);
    const ghost = await attempt(app.url, 'nobody-by-this-name', DEMO_PASSWORD);
    expect(ghost.status).toBe(429);
    expect(ghost.message).toBe(refused.message);

    const audit = await app.db.query<{ entity: string; entity_id: string; actor_id: string | null }>(
      `SELECT entity, entity_id, actor_id FROM audit_log WHERE action = 'auth.lockout' ORDER BY id`,
    );
    expect(audit).toEqual([
      { entity: 'login_account', entity_id: 'operator1', actor_id: null },
      { entity: 'login_account', entity_id: 'nobody-by-this-name', actor_id: null },
    ]);
  });

  it('lets the right password in once the lockout has passed, and doubles the next lockout', async () => {
    expect((await attempt(app.url, 'operator1', DEMO_PASSWORD)).status).toBe(429);
    clock += 61_000;
    // Guessing again after the first lockout: the second one lasts twice as long.
    await failTimes(app.url, 'nobody-by-this-name', 20);
    const second = await attempt(app.url, 'nobody-by-this-name', 'wrong-password');
    expect(second.status).toBe(429);
    expect(Number(second.retryAfter)).toBe(120);

    expect((await attempt(app.url, 'operator1', DEMO_PASSWORD)).status).toBe(200);
  });

  it('counts attempts on two servers sharing the database as one count', async () => {
    const other = await startSecondApp(app, { now });
    try {
      await failTimes(app.url, 'operator2', 10);
      await failTimes(other.url, 'operator2', 10);
      expect((await attempt(app.url, 'operator2', DEMO_PASSWORD)).status).toBe(429);
      expect((await attempt(other.url, 'operator2', DEMO_PASSWORD)).status).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe.each(databaseTargets())('sign-in throttling per client address on $kind', (target) => {
  let direct: TestApp;
  let behindProxy: { url: string; close(): Promise<void> };
  const addressLimit = 5;

  beforeAll(async () => {
    direct = await startTestApp(target, { demoCount: 0, config: { loginThrottle: policy(addressLimit) } });
    // The same database, as a server behind a reverse proxy on this host.
    behindProxy = await startSecondApp(direct, {
      config: { loginThrottle: policy(addressLimit), trustedProxies: ['127.0.0.1'] },
    });
  });
  afterAll(async () => {
    await behindProxy?.close();
    await direct?.close();
  });

  it('counts a rotating X-Forwarded-For against the socket address when no proxy is trusted', async () => {
    for (let i = 0; i < addressLimit; i++) {
      const res = await attempt(direct.url, `guess-${i}`, 'wrong-password', `203.0.113.${i + 1}`);
      expect(res.status).toBe(401);
    }
    const refused = await attempt(direct.url, 'operator1', DEMO_PASSWORD, '198.51.100.77');
    expect(refused.status).toBe(429);
    const audit = await direct.db.query<{ entity_id: string }>(
      `SELECT entity_id FROM audit_log WHERE action = 'auth.lockout' AND entity = 'login_address'`,
    );
    expect(audit.map((r) => r.entity_id)).toEqual(['127.0.0.1']);
  });

  it('behind a trusted proxy, counts the address the proxy saw; entries the client added change nothing', async () => {
    for (let i = 0; i < addressLimit; i++) {
      // The client sent "X-Forwarded-For: 10.9.9.<i>"; the proxy appended the address it saw.
      const res = await attempt(behindProxy.url, `spoof-${i}`, 'wrong-password', `10.9.9.${i}, 192.0.2.10`);
      expect(res.status).toBe(401);
    }
    expect((await attempt(behindProxy.url, 'lead1', DEMO_PASSWORD, '10.1.1.1, 192.0.2.10')).status).toBe(429);
    // Another client behind the same proxy is not held back.
    expect((await attempt(behindProxy.url, 'lead1', DEMO_PASSWORD, '192.0.2.11')).status).toBe(200);
  });
});

function policy(addressLimit: number) {
  return { accountLimit: 20, addressLimit, windowSeconds: 60, lockoutSeconds: 60, maxLockoutSeconds: 900 };
}
