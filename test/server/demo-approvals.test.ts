import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalsResponseSchema } from '@shared/api/approvals';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';

/**
 * Issue 11 item 2: the queue's "Pending approval" count and the lead's inbox agree, demo data
 * included: every item waiting for a lead has its request, with the operator's resolution.
 */
describe.each(databaseTargets())('demo approvals on $kind', (target) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 2000 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives every pending-approval demo item a pending request the lead sees in the inbox', async () => {
    const [counts] = await app.db.query<{ waiting: string; requests: string; orphans: string }>(
      `SELECT (SELECT count(*) FROM exceptions WHERE status = 'pending_approval')::text AS waiting,
              (SELECT count(*) FROM approvals WHERE state = 'pending')::text AS requests,
              (SELECT count(*) FROM exceptions e WHERE e.status = 'pending_approval'
                 AND NOT EXISTS (SELECT 1 FROM approvals a WHERE a.exception_id = e.id AND a.state = 'pending'))::text
                AS orphans`,
    );
    expect(Number(counts!.waiting)).toBeGreaterThan(10);
    expect(counts!.orphans).toBe('0');
    expect(counts!.requests).toBe(counts!.waiting);

    const lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    const inbox = approvalsResponseSchema.parse(
      (await request(app.url, '/api/approvals?state=pending&limit=500', { token: lead })).body,
    );
    expect(inbox.approvals.length).toBe(Number(counts!.waiting));
    const first = inbox.approvals[0]!;
    expect(first.exception.status).toBe('pending_approval');
    expect(first.resolution.note).toMatch(/Demo data/);
    expect(first.requestedBy).toMatch(/^user-operator/);
  });
});
