import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresResponseSchema } from '@shared/api/qa-calibration';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';

const DAY = '2026-11-10';

interface Seed {
  id: string;
  operator: string;
  module: string;
  outcome: 'pass' | 'fail';
  critical?: boolean;
  rework?: boolean;
  previous?: string;
  kind?: 'live' | 'calibration';
  state?: 'submitted' | 'locked' | 'pending';
  day?: string;
}

/**
 * QA figures against numbers worked by hand. The reviews (r1-r6 count; x1-x3 must not):
 *
 *  operator1, price-mismatch: r1 pass; r2 critical fail, rework; r3 re-review of r2, pass;
 *    r4 fail, rework, then a dispute accepted (final outcome pass, still reworked)
 *  operator1, usage-mismatch: r5 pass
 *  operator2, price-mismatch: r6 critical fail, rework
 *  x1 a calibration review, x2 a pending review, x3 scored the day after the period
 */
const SEEDS: readonly Seed[] = [
  { id: 'r1', operator: 'user-operator1', module: 'price-mismatch', outcome: 'pass' },
  {
    id: 'r2',
    operator: 'user-operator1',
    module: 'price-mismatch',
    outcome: 'fail',
    critical: true,
    rework: true,
  },
  { id: 'r3', operator: 'user-operator1', module: 'price-mismatch', outcome: 'pass', previous: 'r2' },
  {
    id: 'r4',
    operator: 'user-operator1',
    module: 'price-mismatch',
    outcome: 'pass',
    rework: true,
    state: 'locked',
  },
  { id: 'r5', operator: 'user-operator1', module: 'usage-mismatch', outcome: 'pass' },
  {
    id: 'r6',
    operator: 'user-operator2',
    module: 'price-mismatch',
    outcome: 'fail',
    critical: true,
    rework: true,
  },
  {
    id: 'x1',
    operator: 'user-operator1',
    module: 'price-mismatch',
    outcome: 'fail',
    critical: true,
    kind: 'calibration',
  },
  { id: 'x2', operator: 'user-operator2', module: 'price-mismatch', outcome: 'fail', state: 'pending' },
  {
    id: 'x3',
    operator: 'user-operator2',
    module: 'usage-mismatch',
    outcome: 'fail',
    critical: true,
    day: '2026-11-11',
  },
];

describe.each(databaseTargets())('QA figures on $kind', (target) => {
  let app: TestApp;
  let lead: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 20 });
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    const [item] = await app.db.query<{ id: string }>('SELECT id FROM exceptions ORDER BY id LIMIT 1');
    await app.db.query(
      `INSERT INTO qa_calibration_rounds (id, created_by, created_at, reviewer_ids, exception_ids)
       VALUES ('00000000-0000-4000-8000-0000000000c1', 'user-lead1', now(), '{user-qa1}', $1::text[])`,
      [[item?.id]],
    );
    const uuid = (name: string): string =>
      `00000000-0000-4000-8000-0000000000${name.replace(/\D/g, '').padStart(2, '0')}`;
    for (const s of SEEDS) {
      const calibration = s.kind === 'calibration';
      await app.db.query(
        `INSERT INTO qa_reviews (id, kind, round_id, previous_review_id, exception_id, operator_id, reviewer_id, sop_id,
           sop_version, state, score, critical_failed, outcome, sent_to_rework, created_at, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'user-qa1', $7, '1.0.0', $8, 50, $9, $10, $11, $12::timestamptz, $12::timestamptz)`,
        [
          s.id.startsWith('x')
            ? `00000000-0000-4000-8000-0000000001${s.id.slice(1).padStart(2, '0')}`
            : uuid(s.id),
          s.kind ?? 'live',
          calibration ? '00000000-0000-4000-8000-0000000000c1' : null,
          s.previous ? uuid(s.previous) : null,
          item?.id,
          s.operator,
          s.module,
          s.state ?? 'submitted',
          s.critical ?? false,
          s.outcome,
          s.rework ?? false,
          `${s.day ?? DAY}T12:00:00Z`,
        ],
      );
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('reports accuracy, critical-error rate, first-pass yield and rework as worked by hand', async () => {
    const res = await request(app.url, `/api/qa/figures?from=${DAY}&to=${DAY}`, { token: lead });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = figuresResponseSchema.parse(res.body).rows.map(({ operatorName: _n, ...r }) => r);
    expect(rows).toEqual([
      // operator1, all modules: 4 of 5 passed; 1 of 5 critical; first reviews r1 r2 r4 r5, of
      // which r1 and r5 passed without rework (2 of 4); r2 and r4 went back.
      {
        operatorId: 'user-operator1',
        sopModuleId: null,
        reviews: 5,
        passed: 4,
        accuracyPercent: '80.00',
        criticalErrors: 1,
        criticalErrorRatePercent: '20.00',
        firstReviews: 4,
        firstPassed: 2,
        firstPassYieldPercent: '50.00',
        reworkCount: 2,
      },
      // price-mismatch: 3 of 4 passed; 1 of 4 critical; first r1 r2 r4, only r1 clean (1 of 3).
      {
        operatorId: 'user-operator1',
        sopModuleId: 'price-mismatch',
        reviews: 4,
        passed: 3,
        accuracyPercent: '75.00',
        criticalErrors: 1,
        criticalErrorRatePercent: '25.00',
        firstReviews: 3,
        firstPassed: 1,
        firstPassYieldPercent: '33.33',
        reworkCount: 2,
      },
      {
        operatorId: 'user-operator1',
        sopModuleId: 'usage-mismatch',
        reviews: 1,
        passed: 1,
        accuracyPercent: '100.00',
        criticalErrors: 0,
        criticalErrorRatePercent: '0.00',
        firstReviews: 1,
        firstPassed: 1,
        firstPassYieldPercent: '100.00',
        reworkCount: 0,
      },
      ...[null, 'price-mismatch'].map((sopModuleId) => ({
        operatorId: 'user-operator2',
        sopModuleId,
        reviews: 1,
        passed: 0,
        accuracyPercent: '0.00',
        criticalErrors: 1,
        criticalErrorRatePercent: '100.00',
        firstReviews: 1,
        firstPassed: 0,
        firstPassYieldPercent: '0.00',
        reworkCount: 1,
      })),
    ]);
  });

  it('refuses a period that ends before it starts, or a date that does not exist, naming the field', async () => {
    const backwards = expectApiError(
      await request(app.url, `/api/qa/figures?from=${DAY}&to=2026-11-01`, { token: lead }),
      400,
      'invalid_request',
    );
    expect(JSON.stringify(backwards.issues)).toContain('to');
    const bad = expectApiError(
      await request(app.url, `/api/qa/figures?from=2026-02-30&to=${DAY}`, { token: lead }),
      400,
      'invalid_request',
    );
    expect(JSON.stringify(bad.issues)).toContain('from');
    const operator = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    expectApiError(
      await request(app.url, `/api/qa/figures?from=${DAY}&to=${DAY}`, { token: operator }),
      403,
      'forbidden',
    );
  });
});
