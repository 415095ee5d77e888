import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewsResponseSchema, reviewSummarySchema } from '@shared/api/qa-reviews';
import { verifyAuditChain } from '../../server/src/audit/verify';
import { sequencePass } from '../../server/src/db/sequencer';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { addUser, answers, drawToday, getNext, readReview, resolveItems, reviewIdOf } from './helpers/qa';

/**
 * A reviewer scores a sampled item with a critical failure; it goes back to the same operator as
 * rework with the feedback; the operator resolves it again and the re-review passes, closing it.
 * Nobody reviews their own work; operators do not see a sample before it is scored.
 */
describe.each(databaseTargets())('QA reviews on $kind', (target) => {
  let app: TestApp;
  const token: Record<string, string> = {};
  let items: string[] = [];
  let ownItem = '';

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 80 });
    for (const u of ['operator1', 'qa1', 'lead1'])
      token[u] = (await login(app.url, u, DEMO_PASSWORD)).accessToken;
    // Someone who both works items and reviews them: the segregation-of-duties case.
    token.both = await addUser(app, 'opqa', ['operator', 'qa']);
    items = await resolveItems(
      app,
      token.operator1 as string,
      await getNext(app, token.operator1 as string, 4),
    );
    const [own] = await resolveItems(app, token.both as string, await getNext(app, token.both as string, 1));
    ownItem = own as string;
    await drawToday(app, token.lead1 as string);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("a draw's sample is the reviewers' inbox; operators do not see it before it is scored", async () => {
    const inbox = await request(app.url, '/api/qa/reviews?state=pending', { token: token.qa1 });
    expect(inbox.status).toBe(200);
    const ids = reviewsResponseSchema.parse(inbox.body).reviews.map((r) => r.exceptionId);
    expect(ids).toEqual(expect.arrayContaining([...items, ownItem]));
    // Not offered to the one who did the work.
    const theirs = reviewsResponseSchema.parse(
      (await request(app.url, '/api/qa/reviews', { token: token.both })).body,
    ).reviews;
    expect(theirs.map((r) => r.exceptionId)).not.toContain(ownItem);
    expect(theirs.map((r) => r.exceptionId)).toEqual(expect.arrayContaining(items));

    expectApiError(await request(app.url, '/api/qa/reviews', { token: token.operator1 }), 403, 'forbidden');
    const id = await reviewIdOf(app, items[0] as string);
    expectApiError(
      await request(app.url, `/api/qa/reviews/${id}`, { token: token.operator1 }),
      404,
      'not_found',
    );
    const mine = await request(app.url, '/api/qa/my-reviews', { token: token.operator1 });
    expect(reviewsResponseSchema.parse(mine.body).reviews).toEqual([]);
  });

  it('shows the item, the answers, the resolution and the rubric of the SOP version used', async () => {
    const review = await readReview(app, token.qa1 as string, await reviewIdOf(app, items[0] as string));
    expect(review).toMatchObject({
      kind: 'live',
      state: 'pending',
      operatorId: 'user-operator1',
      score: null,
    });
    expect(review.exception.id).toBe(items[0]);
    expect(review.resolution?.note).toBe('checked, nothing to adjust');
    expect(Object.keys(review.answers).length).toBeGreaterThan(0);
    expect(review.sop).not.toBeNull();
    expect(review.rubric.length).toBeGreaterThan(0);
    for (const item of review.rubric) {
      expect(item.id.startsWith(`${item.stepId}:`)).toBe(true);
      expect(item.outcome).toBeNull();
    }
  });

  it('refuses a review of your own work with the reason', async () => {
    const id = await reviewIdOf(app, ownItem);
    const review = await readReview(app, token.qa1 as string, id);
    const res = await request(app.url, `/api/qa/reviews/${id}/submit`, {
      token: token.both,
      body: { items: answers(review) },
    });
    const error = expectApiError(res, 403, 'forbidden');
    expect(error.message).toMatch(/your own work/);
    const [row] = await app.db.query<{ state: string }>('SELECT state FROM qa_reviews WHERE id = $1', [id]);
    expect(row?.state).toBe('pending');
  });

  it('refuses incomplete, unknown and unstorable answers naming the field', async () => {
    const id = await reviewIdOf(app, items[1] as string);
    const review = await readReview(app, token.qa1 as string, id);
    const submit = (body: unknown) =>
      request(app.url, `/api/qa/reviews/${id}/submit`, { token: token.qa1, body });
    const missing = expectApiError(await submit({ items: answers(review).slice(1) }), 400, 'invalid_request');
    expect(missing.issues?.[0]?.path).toBe('body.items');
    const unknown = expectApiError(
      await submit({ items: [...answers(review), { id: 'nope:nope', outcome: 'pass' }] }),
      400,
      'invalid_request',
    );
    expect(unknown.issues?.[0]?.path).toMatch(/^body\.items\.\d+\.id$/);
    const noComment = answers(review, { [review.rubric[0]?.id as string]: { outcome: 'fail', comment: '' } });
    expectApiError(await submit({ items: noComment, feedback: 'wrong' }), 400, 'invalid_request');
    const nul = expectApiError(
      await submit({ items: answers(review), feedback: 'bad\u0000byte' }),
      400,
      'invalid_request',
    );
    expect(JSON.stringify(nul.issues)).toContain('feedback');
    const failNoFeedback = answers(review, {
      [review.rubric[0]?.id as string]: { outcome: 'fail', comment: 'not done' },
    });
    const noFeedback = expectApiError(await submit({ items: failNoFeedback }), 400, 'invalid_request');
    if (review.rubric.length > 0) expect(noFeedback.issues?.[0]?.path).toBe('body.feedback');
  });

  it('a critical failure fails the review and sends the item back as rework; the re-review passes', async () => {
    const item = items[2] as string;
    const id = await reviewIdOf(app, item);
    const review = await readReview(app, token.qa1 as string, id);
    const critical = review.rubric.find((r) => r.critical);
    if (!critical) throw new Error(`no critical rubric item in ${review.sop?.moduleId}`);
    const res = await request(app.url, `/api/qa/reviews/${id}/submit`, {
      token: token.qa1,
      body: {
        items: answers(review, {
          [critical.id]: { outcome: 'fail', comment: 'the source was not attached' },
        }),
        feedback: 'attach the partner report before resolving',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const scored = reviewSummarySchema.parse((res.body as { review: unknown }).review);
    // n items, one failed: (n-1)/n of them passed, well above the pass mark, and still a fail.
    const n = review.rubric.length;
    const expected = new Decimal(n - 1).times(100).dividedBy(n).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
    expect(scored).toMatchObject({
      state: 'submitted',
      outcome: 'fail',
      criticalFailed: true,
      score: expected.toFixed(2),
    });
    const [row] = await app.db.query<{ status: string; assignee_id: string }>(
      'SELECT status, assignee_id FROM exceptions WHERE id = $1',
      [item],
    );
    expect(row).toEqual({ status: 'rework', assignee_id: 'user-operator1' });
    // Scored: now the operator sees it and its feedback.
    const mine = reviewsResponseSchema.parse(
      (await request(app.url, '/api/qa/my-reviews', { token: token.operator1 })).body,
    ).reviews;
    expect(mine.map((r) => r.id)).toEqual([id]);
    const seen = await readReview(app, token.operator1 as string, id);
    expect(seen.feedback).toBe('attach the partner report before resolving');

    // A second submit of a scored review is refused.
    expectApiError(
      await request(app.url, `/api/qa/reviews/${id}/submit`, {
        token: token.qa1,
        body: { items: answers(review) },
      }),
      409,
      'conflict',
    );

    // The operator's next get-next hands it back first, with the feedback; nobody else's does.
    const [back] = await getNext(app, token.operator1 as string, 1);
    expect(back?.exception.id).toBe(item);
    expect(back?.returned?.by).toBe('user-qa1');
    expect(back?.returned?.reason).toContain('attach the partner report before resolving');
    expect(back?.returned?.reason).toContain('the source was not attached');
    await resolveItems(app, token.operator1 as string, [back as NonNullable<typeof back>]);

    // The re-review waits in the inbox now that the item is resolved again.
    const reId = await reviewIdOf(app, item, 'awaiting_rework');
    const inbox = reviewsResponseSchema.parse(
      (await request(app.url, '/api/qa/reviews', { token: token.qa1 })).body,
    ).reviews;
    expect(inbox.find((r) => r.id === reId)).toMatchObject({ previousReviewId: id, exceptionId: item });
    const again = await readReview(app, token.qa1 as string, reId);
    const passed = await request(app.url, `/api/qa/reviews/${reId}/submit`, {
      token: token.qa1,
      body: { items: answers(again) },
    });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    expect((passed.body as { review: unknown }).review).toMatchObject({ outcome: 'pass', score: '100.00' });
    const [closed] = await app.db.query<{ status: string }>('SELECT status FROM exceptions WHERE id = $1', [
      item,
    ]);
    expect(closed?.status).toBe('closed');

    await sequencePass(app.db);
    const audit = await app.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id IN ($1, $2, $3) ORDER BY id`,
      [id, reId, item],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['qa.review.submitted', 'qa.rework', 'qa.passed']),
    );
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true });
  });

  it('rework whose operator may no longer work the type goes to the next operator allowed it', async () => {
    await app.db.query(
      `DELETE FROM user_work_types WHERE user_id = (SELECT id FROM users WHERE username = 'opqa')`,
    );
    const id = await reviewIdOf(app, ownItem);
    const review = await readReview(app, token.qa1 as string, id);
    // Every check failed: a fail whatever the rubric's length.
    const failed = Object.fromEntries(
      review.rubric.map((r) => [r.id, { outcome: 'fail' as const, comment: 'wrong customer' }]),
    );
    const res = await request(app.url, `/api/qa/reviews/${id}/submit`, {
      token: token.qa1,
      body: {
        items: answers(review, failed),
        feedback: 'check the customer before crediting',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [row] = await app.db.query<{ status: string; assignee_id: string | null }>(
      'SELECT status, assignee_id FROM exceptions WHERE id = $1',
      [ownItem],
    );
    expect(row).toEqual({ status: 'rework', assignee_id: null });
    const [taken] = await getNext(app, token.operator1 as string, 1);
    expect(taken?.exception.id).toBe(ownItem);
    expect(taken?.returned?.reason).toContain('check the customer before crediting');
  });
});
