import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { runDrawResponseSchema } from '@shared/api/qa';
import { reviewResponseSchema, type ReviewDetail } from '@shared/api/qa-reviews';
import { nextResponseSchema, type LeasedItem } from '@shared/api/work';
import type { RubricAnswer } from '@shared/qa/rubric';
import { pushResponseSchema } from '@shared/sync/mutations';
import { hashPassword } from '@server/auth/passwords';
import { DEMO_PASSWORD } from '@server/demo/users';
import { insertUser } from '@server/features/auth/users-repo';
import { grantWorkTypes } from '@server/features/work/work-types-repo';
import type { Role } from '@shared/roles';
import { EXCEPTION_TYPES } from '@shared/exception-types';
import type { TestApp } from './app';
import { login, request } from './http';
import { mutation, plain, resolve } from './mutations';

export const today = (): string => new Date().toISOString().slice(0, 10);

/** A user with these roles (allowed every type when an operator); answers their access token. */
export async function addUser(app: TestApp, username: string, roles: Role[]): Promise<string> {
  const id = await insertUser(app.db, {
    username,
    displayName: `${username} (test)`,
    roles,
    passwordHash: await hashPassword(DEMO_PASSWORD),
  });
  if (roles.includes('operator')) await grantWorkTypes(app.db, id, EXCEPTION_TYPES);
  return (await login(app.url, username, DEMO_PASSWORD)).accessToken;
}

export async function getNext(app: TestApp, token: string, count: number): Promise<LeasedItem[]> {
  const res = await request(app.url, '/api/work/next', { token, body: { count } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return nextResponseSchema.parse(res.body).items;
}

/** Resolves leased items as the desk does (checklist answered, no approval needed); their ids. */
export async function resolveItems(
  app: TestApp,
  token: string,
  items: readonly LeasedItem[],
): Promise<string[]> {
  const at = new Date();
  const res = await request(app.url, '/api/sync/push', {
    token,
    body: {
      clientId: randomUUID(),
      mutations: items.map((i) => mutation(resolve(i.exception, i.lease.leaseId, plain(), at), at)),
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  for (const r of pushResponseSchema.parse(res.body).results) expect(r.outcome).toBe('applied');
  return items.map((i) => i.exception.id);
}

/** Today's draw with every operator in nesting: every resolution of the day is sampled. */
export async function drawToday(app: TestApp, leadToken: string): Promise<void> {
  const res = await request(app.url, '/api/qa/draws', {
    token: leadToken,
    body: {
      lotDate: today(),
      policy: {
        id: 'qa-test',
        graduation: { minItems: 1000, minAccuracyPercent: '99' },
        risk: { varianceAtLeast: {}, writeOffs: false, escalations: false },
        rules: [{ sopModuleId: '*', tier: 'standard', method: { kind: 'lot', aql: '2.5', level: 'II' } }],
      },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  runDrawResponseSchema.parse(res.body);
}

/** The review of `exceptionId`'s resolution (newest first) by id. */
export async function reviewIdOf(app: TestApp, exceptionId: string, state?: string): Promise<string> {
  const rows = await app.db.query<{ id: string }>(
    `SELECT id::text AS id FROM qa_reviews WHERE exception_id = $1 AND kind = 'live'
       AND ($2::text IS NULL OR state = $2) ORDER BY created_at DESC LIMIT 1`,
    [exceptionId, state ?? null],
  );
  if (!rows[0]) throw new Error(`no review of ${exceptionId}`);
  return rows[0].id;
}

export async function readReview(app: TestApp, token: string, id: string): Promise<ReviewDetail> {
  const res = await request(app.url, `/api/qa/reviews/${id}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return reviewResponseSchema.parse(res.body).review;
}

/** Every rubric item passed, except those given. */
export function answers(
  review: Pick<ReviewDetail, 'rubric'>,
  overrides: Record<string, Omit<RubricAnswer, 'id'>> = {},
): RubricAnswer[] {
  return review.rubric.map((r) => ({ id: r.id, ...(overrides[r.id] ?? { outcome: 'pass', comment: '' }) }));
}
