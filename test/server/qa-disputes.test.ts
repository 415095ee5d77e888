import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disputeResponseSchema, disputesResponseSchema } from '@shared/api/qa-reviews';
import { sequencePass } from '../../server/src/db/sequencer';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { answers, drawToday, getNext, readReview, resolveItems, reviewIdOf } from './helpers/qa';

/**
 * An operator contests a finding; a lead who is not the reviewer decides; the score is then
 * locked. admin1 holds both the qa and the lead role, so it is the reviewer who tries to decide.
 */
describe.each(databaseTargets())('QA disputes on $kind', (target) => {
  let app: TestApp;
  const token: Record<string, string> = {};
  let items: string[] = [];

  const used = new Set<string>();
  /**
   * Scores, as `reviewer`, the review of an item not used yet whose rubric has at least
   * `failCount` items, failing `failCount` of them (non-critical ones first).
   */
  const score = async (reviewer: string, failCount: number) => {
    const candidates = [];
    for (const item of items.filter((i) => !used.has(i))) {
      const review = await readReview(app, token[reviewer] as string, await reviewIdOf(app, item));
      candidates.push({
        item,
        review,
        pool: [...review.rubric.filter((r) => !r.critical), ...review.rubric.filter((r) => r.critical)],
      });
    }
    const chosen = candidates.find((c) => c.pool.length >= failCount);
    if (!chosen) throw new Error('no sampled item with enough rubric items');
    used.add(chosen.item);
    const { review } = chosen;
    const id = review.id;
    const failed = chosen.pool.slice(0, failCount);
    const res = await request(app.url, `/api/qa/reviews/${id}/submit`, {
      token: token[reviewer],
      body: {
        items: answers(
          review,
          Object.fromEntries(
            failed.map((f) => [f.id, { outcome: 'fail' as const, comment: 'not as the SOP says' }]),
          ),
        ),
        feedback: 'see the failed checks',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { id, total: review.rubric.length, failed: failed.map((f) => f.id) };
  };

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 60 });
    for (const u of ['operator1', 'operator2', 'qa1', 'lead1', 'admin1'])
      token[u] = (await login(app.url, u, DEMO_PASSWORD)).accessToken;
    items = await resolveItems(
      app,
      token.operator1 as string,
      await getNext(app, token.operator1 as string, 8),
    );
    await drawToday(app, token.lead1 as string);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a dispute partly accepted by a lead changes the score and locks it', async () => {
    const { id, total, failed } = await score('qa1', 2);
    // Two of `total` failed; the lead overturns one: one failed remains.
    const before = (((total - 2) * 100) / total).toFixed(2);
    const after = (((total - 1) * 100) / total).toFixed(2);

    // Only the operator whose work it is may dispute it.
    expectApiError(
      await request(app.url, `/api/qa/reviews/${id}/dispute`, {
        token: token.operator2,
        body: { comment: 'not mine but I object', contested: failed },
      }),
      404,
      'not_found',
    );
    const bad = expectApiError(
      await request(app.url, `/api/qa/reviews/${id}/dispute`, {
        token: token.operator1,
        body: { comment: 'this passed', contested: ['nope:nope'] },
      }),
      400,
      'invalid_request',
    );
    expect(bad.issues?.[0]?.path).toBe('body.contested.0');

    const opened = await request(app.url, `/api/qa/reviews/${id}/dispute`, {
      token: token.operator1,
      body: { comment: 'both checks were done; see the note', contested: failed },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const { dispute } = disputeResponseSchema.parse(opened.body);
    expect(dispute).toMatchObject({ state: 'open', scoreBefore: before, contested: failed });
    expectApiError(
      await request(app.url, `/api/qa/reviews/${id}/dispute`, {
        token: token.operator1,
        body: { comment: 'again', contested: failed },
      }),
      409,
      'conflict',
    );

    const list = disputesResponseSchema.parse(
      (await request(app.url, '/api/qa/disputes', { token: token.lead1 })).body,
    );
    expect(list.disputes.map((d) => d.id)).toContain(dispute.id);

    const partly = await request(app.url, `/api/qa/disputes/${dispute.id}/decision`, {
      token: token.lead1,
      body: { decision: 'partly_accept', overturned: [failed[0]], comment: 'the first check was done' },
    });
    expect(partly.status, JSON.stringify(partly.body)).toBe(200);
    const decided = disputeResponseSchema.parse(partly.body);
    expect(decided.dispute).toMatchObject({
      state: 'partly_accepted',
      decidedBy: 'user-lead1',
      overturned: [failed[0]],
      scoreBefore: before,
      scoreAfter: after,
    });
    expect(decided.review).toMatchObject({ state: 'locked', score: after });

    // Locked: no second decision, no new dispute, no re-scoring.
    expectApiError(
      await request(app.url, `/api/qa/disputes/${dispute.id}/decision`, {
        token: token.lead1,
        body: { decision: 'accept', comment: 'changed my mind' },
      }),
      409,
      'conflict',
    );
    expectApiError(
      await request(app.url, `/api/qa/reviews/${id}/dispute`, {
        token: token.operator1,
        body: { comment: 'once more', contested: [failed[1]] },
      }),
      409,
      'conflict',
    );
    const review = await readReview(app, token.operator1 as string, id);
    expect(review.rubric.find((r) => r.id === failed[0])?.outcome).toBe('pass');
    expect(review.rubric.find((r) => r.id === failed[1])?.outcome).toBe('fail');
    expect(review.dispute?.state).toBe('partly_accepted');

    await sequencePass(app.db);
    const audit = await app.db.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_log WHERE entity = 'qa_review' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'qa.review.submitted',
      'qa.dispute.opened',
      'qa.dispute.decided',
    ]);
    expect(audit[2]?.details).toMatchObject({ scoreBefore: before, scoreAfter: after });
  });

  it('nobody decides a dispute on their own review', async () => {
    const { id, failed } = await score('admin1', 1);
    const opened = await request(app.url, `/api/qa/reviews/${id}/dispute`, {
      token: token.operator1,
      body: { comment: 'this check was done', contested: failed },
    });
    const { dispute } = disputeResponseSchema.parse(opened.body);
    const own = expectApiError(
      await request(app.url, `/api/qa/disputes/${dispute.id}/decision`, {
        token: token.admin1,
        body: { decision: 'reject', comment: 'I stand by it' },
      }),
      403,
      'forbidden',
    );
    expect(own.message).toMatch(/you scored this review/);
    const partlyAll = expectApiError(
      await request(app.url, `/api/qa/disputes/${dispute.id}/decision`, {
        token: token.lead1,
        body: { decision: 'partly_accept', overturned: failed, comment: 'all of it' },
      }),
      400,
      'invalid_request',
    );
    expect(partlyAll.issues?.[0]?.path).toBe('body.overturned');
    const rejected = await request(app.url, `/api/qa/disputes/${dispute.id}/decision`, {
      token: token.lead1,
      body: { decision: 'reject', comment: 'the check is not in the note' },
    });
    expect(rejected.status).toBe(200);
    expect(disputeResponseSchema.parse(rejected.body).review.state).toBe('locked');
  });
});
