import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationResponseSchema } from '@shared/api/qa-calibration';
import { reviewsResponseSchema } from '@shared/api/qa-reviews';
import type { RubricOutcome } from '@shared/qa/agreement';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { addUser, readReview } from './helpers/qa';

/**
 * Three reviewers score the same ten items blind. The items' resolutions name no SOP module, so
 * each has the one-item fallback rubric (`resolution:correct`) and the agreement per rubric item
 * and overall are both Fleiss' kappa over this table, worked by hand below.
 *
 *  item  A B C   pass fail n/a   P_i = (sum n_ij^2 - 3) / 6
 *   1    P P P    3    0    0    1
 *   2    P P P    3    0    0    1
 *   3    P P F    2    1    0    (4+1-3)/6 = 1/3
 *   4    F F F    0    3    0    1
 *   5    P F F    1    2    0    1/3
 *   6    P P P    3    0    0    1
 *   7    N N P    1    0    2    1/3
 *   8    F F P    1    2    0    1/3
 *   9    P P P    3    0    0    1
 *  10    N N N    0    0    3    1
 *
 *  P-bar = (6 + 4/3) / 10 = 11/15 = 660/900
 *  p_pass = 17/30, p_fail = 8/30, p_na = 5/30 -> P_e = (289 + 64 + 25) / 900 = 378/900
 *  kappa = (660 - 378) / (900 - 378) = 282/522 = 47/87 = 0.540229885...
 */
const TABLE: readonly (readonly [RubricOutcome, RubricOutcome, RubricOutcome])[] = [
  ['pass', 'pass', 'pass'],
  ['pass', 'pass', 'pass'],
  ['pass', 'pass', 'fail'],
  ['fail', 'fail', 'fail'],
  ['pass', 'fail', 'fail'],
  ['pass', 'pass', 'pass'],
  ['na', 'na', 'pass'],
  ['fail', 'fail', 'pass'],
  ['pass', 'pass', 'pass'],
  ['na', 'na', 'na'],
];
const KAPPA = 47 / 87;

describe.each(databaseTargets())('QA calibration on $kind', (target) => {
  let app: TestApp;
  const token: Record<string, string> = {};
  const reviewers = ['user-qa1'];
  let items: string[] = [];

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 40 });
    for (const u of ['operator1', 'qa1', 'lead1'])
      token[u] = (await login(app.url, u, DEMO_PASSWORD)).accessToken;
    token.qa2 = await addUser(app, 'qa2', ['qa']);
    token.qa3 = await addUser(app, 'qa3', ['qa']);
    const ids = await app.db.query<{ id: string }>(
      `SELECT id FROM users WHERE username IN ('qa2', 'qa3') ORDER BY username`,
    );
    reviewers.push(...ids.map((r) => r.id));
    // Ten items operator1 resolved (recorded as an old desk did, without an SOP module).
    const open = await app.db.query<{ id: string }>(
      `SELECT id FROM exceptions WHERE status = 'open' ORDER BY id LIMIT 10`,
    );
    items = open.map((r) => r.id);
    for (const [i, id] of items.entries()) {
      await app.db.query(
        `UPDATE exceptions SET status = 'resolved', assignee_id = 'user-operator1' WHERE id = $1`,
        [id],
      );
      await app.db.query(
        `INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note, occurred_at)
         VALUES ($1, 'user-operator1', 'calibration-test', $2, 'price_corrected', 'credit_memo_request', 'fixed', now())`,
        [id, `m${i}`],
      );
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Opens a round of the ten items for `who` (indexes into reviewers); each one's review ids, by item. */
  const openRound = async (who: readonly number[]): Promise<{ roundId: string; reviewIds: string[][] }> => {
    const made = await request(app.url, '/api/qa/calibrations', {
      token: token.lead1,
      body: { exceptionIds: items, reviewerIds: who.map((w) => reviewers[w]) },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const { round } = calibrationResponseSchema.parse(made.body);
    expect(round).toMatchObject({ submitted: 0, total: 10 * who.length, complete: false, agreement: null });
    const reviewIds: string[][] = [];
    for (const w of who) {
      const inbox = reviewsResponseSchema.parse(
        (await request(app.url, '/api/qa/reviews', { token: tokenOf(w) })).body,
      );
      const mine = inbox.reviews.filter((r) => r.roundId === round.id);
      expect(mine.map((r) => r.exceptionId).sort()).toEqual([...items].sort());
      reviewIds.push(items.map((item) => mine.find((r) => r.exceptionId === item)?.id as string));
    }
    return { roundId: round.id, reviewIds };
  };
  const tokenOf = (w: number): string => [token.qa1, token.qa2, token.qa3][w] as string;
  /** Reviewer `w` scores their ten reviews as column `w` of TABLE. */
  const scoreColumn = async (w: number, reviewIds: readonly string[]): Promise<void> => {
    for (const [i, row] of TABLE.entries()) {
      const id = reviewIds[i] as string;
      const review = await readReview(app, tokenOf(w), id);
      expect(review.rubric.map((x) => x.id)).toEqual(['resolution:correct']);
      const outcome = row[w] as RubricOutcome;
      const res = await request(app.url, `/api/qa/reviews/${id}/submit`, {
        token: tokenOf(w),
        body: {
          items: [
            { id: 'resolution:correct', outcome, comment: outcome === 'fail' ? 'amount is wrong' : '' },
          ],
          feedback: outcome === 'fail' ? 'recheck the amount' : '',
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  };

  it('three reviewers over ten items, blind until all are in, report the hand-computed kappa', async () => {
    const { roundId, reviewIds } = await openRound([0, 1, 2]);
    for (const r of [0, 1, 2]) {
      await scoreColumn(r, reviewIds[r] as string[]);
      if (r === 0) {
        // Blind: the others cannot open the first reviewer's scores, nor see them in the round.
        expectApiError(
          await request(app.url, `/api/qa/reviews/${reviewIds[0]?.[0]}`, { token: token.qa2 }),
          404,
          'not_found',
        );
        const partial = calibrationResponseSchema.parse(
          (await request(app.url, `/api/qa/calibrations/${roundId}`, { token: token.qa2 })).body,
        ).round;
        expect(partial).toMatchObject({ submitted: 10, complete: false, agreement: null });
        expect(partial.reviews.every((x) => x.reviewerId === reviewers[1])).toBe(true);
      }
    }

    const done = calibrationResponseSchema.parse(
      (await request(app.url, `/api/qa/calibrations/${roundId}`, { token: token.lead1 })).body,
    ).round;
    expect(done).toMatchObject({ submitted: 30, complete: true });
    expect(done.agreement?.method).toBe('fleiss');
    expect(done.agreement?.overall).toBeCloseTo(KAPPA, 12);
    expect(done.agreement?.byRubricItem['resolution:correct']).toBeCloseTo(KAPPA, 12);
    // Now everyone in the round may read every score.
    expect(
      (await request(app.url, `/api/qa/reviews/${reviewIds[0]?.[0]}`, { token: token.qa2 })).status,
    ).toBe(200);
  });

  it("two reviewers get Cohen's kappa, worked by hand", async () => {
    // Columns A and B of TABLE: they differ on item 5 only. Observed 9/10; A: 6 pass 2 fail 2 n/a,
    // B: 5 pass 3 fail 2 n/a -> chance (30 + 6 + 4) / 100 = 0.4; kappa = 0.5 / 0.6 = 5/6.
    const { roundId, reviewIds } = await openRound([0, 1]);
    await scoreColumn(0, reviewIds[0] as string[]);
    await scoreColumn(1, reviewIds[1] as string[]);
    const done = calibrationResponseSchema.parse(
      (await request(app.url, `/api/qa/calibrations/${roundId}`, { token: token.qa1 })).body,
    ).round;
    expect(done.agreement?.method).toBe('cohen');
    expect(done.agreement?.overall).toBeCloseTo(5 / 6, 12);
  });

  it('calibration never counts against the operator', async () => {
    const states = await app.db.query<{ status: string }>(
      `SELECT DISTINCT status FROM exceptions WHERE id = ANY($1::text[])`,
      [items],
    );
    expect(states).toEqual([{ status: 'resolved' }]);
    const mine = reviewsResponseSchema.parse(
      (await request(app.url, '/api/qa/my-reviews', { token: token.operator1 })).body,
    );
    expect(mine.reviews).toEqual([]);
    const day = new Date().toISOString().slice(0, 10);
    const figures = await request(app.url, `/api/qa/figures?from=${day}&to=${day}`, { token: token.lead1 });
    expect(figures.body).toMatchObject({ rows: [] });
  });

  it('refuses a round with a reviewer who did the work, or who is not a reviewer', async () => {
    const both = await addUser(app, 'opqa-cal', ['operator', 'qa']);
    const [me] = await app.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'opqa-cal'`);
    const [item] = await app.db.query<{ id: string }>(
      `SELECT id FROM exceptions WHERE status = 'open' ORDER BY id LIMIT 1`,
    );
    await app.db.query(
      `INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note, occurred_at)
       VALUES ($1, $2, 'calibration-test', 'own', 'price_corrected', 'credit_memo_request', 'fixed', now())`,
      [item?.id, me?.id],
    );
    const own = expectApiError(
      await request(app.url, '/api/qa/calibrations', {
        token: token.lead1,
        body: { exceptionIds: [item?.id, items[0]], reviewerIds: [me?.id, 'user-qa1'] },
      }),
      403,
      'forbidden',
    );
    expect(own.message).toMatch(/their own work/);
    const notQa = expectApiError(
      await request(app.url, '/api/qa/calibrations', {
        token: token.lead1,
        body: { exceptionIds: [items[0], items[1]], reviewerIds: ['user-qa1', 'user-operator2'] },
      }),
      400,
      'invalid_request',
    );
    expect(notQa.issues?.[0]?.path).toBe('body.reviewerIds.1');
    expect(both).toBeTruthy();
  });
});
