import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDrawResponseSchema, runDrawResponseSchema, type RunDrawBody } from '@shared/api/qa';
import type { SamplingPolicy } from '@shared/qa/policy';
import { verifyAuditChain } from '../../server/src/audit/verify';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { sequencePass } from '../../server/src/db/sequencer';
import type { Queryable } from '../../server/src/db/types';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { seedDemo } from '../../server/src/demo/seed';
import { readDraw, recordDraw } from '../../server/src/features/qa/draws-repo';
import { startTestApp, type TestApp } from './helpers/app';
import { verifyCli } from './helpers/audit-cli';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';

const LOT_DATE = '2026-11-30';

const policy: SamplingPolicy = {
  id: 'qa-default',
  graduation: { minItems: 50, minAccuracyPercent: '95' },
  // No risk threshold is reachable by the demo's variances in these tests except where stated.
  risk: { varianceAtLeast: {}, writeOffs: false, escalations: false },
  rules: [
    {
      sopModuleId: '*',
      tier: 'standard',
      method: { kind: 'stratified', ratePercent: '20', strata: ['type'], minPerStratum: 1 },
    },
    { sopModuleId: '*', tier: 'mature', method: { kind: 'lot', aql: '2.5', level: 'II' } },
  ],
};

const body = (over: Partial<RunDrawBody> = {}): RunDrawBody => ({
  lotDate: LOT_DATE,
  policy,
  operators: [
    { operatorId: 'user-operator1', tier: 'mature', reviewedItems: 500, accurateItems: 490 },
    { operatorId: 'user-operator2', tier: 'standard', reviewedItems: 120, accurateItems: 118 },
  ],
  inspection: {},
  ...over,
});

/**
 * Resolutions as the push records them: `perOperator` items for each demo operator on LOT_DATE,
 * and one the day after (outside the lot).
 */
async function resolveDemoItems(db: Queryable, perOperator: number): Promise<void> {
  const ids = (await db.query<{ id: string }>('SELECT id FROM exceptions ORDER BY id')).map((r) => r.id);
  const operators = ['user-operator1', 'user-operator2'];
  let n = 0;
  for (const [o, operator] of operators.entries()) {
    for (let i = 0; i < perOperator; i += 1) {
      const id = ids[o * perOperator + i];
      n += 1;
      await db.query(
        `INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note,
           occurred_at, sop_id, sop_version)
         VALUES ($1, $2, 'qa-test', $3, 'price_corrected', 'credit_memo_request', 'fixed', $4, 'price-mismatch', '1.0.0')`,
        [id, operator, `m${n}`, `${LOT_DATE}T${String(8 + (i % 10)).padStart(2, '0')}:15:00Z`],
      );
    }
  }
  await db.query(
    `INSERT INTO exception_resolutions (exception_id, user_id, client_id, mutation_id, code, action, note, occurred_at)
     VALUES ($1, 'user-operator2', 'qa-test', 'next-day', 'price_corrected', 'credit_memo_request', 'later', '2026-12-01T00:00:00Z')`,
    [ids[ids.length - 1]],
  );
}

describe.each(databaseTargets())('QA draws on $kind', (target) => {
  let app: TestApp;
  let lead: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 220 });
    await resolveDemoItems(app.db, 100);
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
  });

  afterAll(async () => {
    await app?.close();
  });

  it("draws a day's lot by the policy, records it and reads it back reproduced", async () => {
    const res = await request(app.url, '/api/qa/draws', { token: lead, body: body() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { draw } = runDrawResponseSchema.parse(res.body);
    expect(draw).toMatchObject({
      lotDate: LOT_DATE,
      policyId: 'qa-default',
      populationSize: 200,
      drawnBy: 'user-lead1',
    });
    // operator1 is mature: one lot of 100 at AQL 2.5, level II -> letter F, 20 sampled.
    expect(draw.result.lots).toEqual([
      expect.objectContaining({
        stream: 'user-operator1|price-mismatch',
        lotSize: 100,
        state: 'normal',
        sampled: 20,
      }),
    ]);
    // operator2 is standard: 20% of each exception-type stratum, rounded up.
    const stratified = draw.result.strata.reduce((sum, s) => sum + s.sampled, 0);
    expect(draw.result.sampled.filter((s) => s.reason === 'stratified')).toHaveLength(stratified);
    expect(draw.result.sampled.filter((s) => s.reason === 'lot')).toHaveLength(20);

    const back = await request(app.url, `/api/qa/draws/${draw.id}`, { token: lead });
    expect(back.status).toBe(200);
    const read = getDrawResponseSchema.parse(back.body);
    expect(read.reproduced).toBe(true);
    expect(read.draw).toEqual(draw);
  });

  it('same seed and same population give the same sample; the audit trail holds every draw', async () => {
    const leadUser = { id: 'user-lead1', username: 'lead1', roles: ['lead' as const] };
    const first = await recordDraw(app.db, leadUser, body(), { seed: 4242 });
    const second = await recordDraw(app.db, leadUser, body(), { seed: 4242 });
    expect(second.id).not.toBe(first.id);
    expect(second.result).toEqual(first.result);
    expect(second.inputSha256).toBe(first.inputSha256);
    const other = await recordDraw(app.db, leadUser, body(), { seed: 4243 });
    expect(other.result.sampled).not.toEqual(first.result.sampled);

    await sequencePass(app.db);
    const audit = await app.db.query<{
      entity_id: string;
      actor_id: string;
      details: Record<string, unknown>;
    }>(`SELECT entity_id, actor_id, details FROM audit_log WHERE action = 'qa.draw'`);
    const draws = await app.db.query<{ id: string }>('SELECT id::text AS id FROM qa_draws');
    expect(audit.map((a) => a.entity_id).sort()).toEqual(draws.map((d) => d.id).sort());
    expect(audit.find((a) => a.entity_id === first.id)).toMatchObject({
      actor_id: 'user-lead1',
      details: { seed: 4242, lotDate: LOT_DATE, populationSize: 200, inputSha256: first.inputSha256 },
    });
    expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, pending: 0 });
  });

  it('a recorded draw cannot be changed; one changed behind the trigger no longer reproduces', async () => {
    const leadUser = { id: 'user-lead1', username: 'lead1', roles: ['lead' as const] };
    const draw = await recordDraw(app.db, leadUser, body(), { seed: 7 });
    await expect(app.db.query(`UPDATE qa_draws SET seed = 8 WHERE id = $1`, [draw.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(app.db.query(`DELETE FROM qa_draws WHERE id = $1`, [draw.id])).rejects.toThrow(
      /append-only/,
    );

    await app.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE qa_draws DISABLE TRIGGER qa_draws_append_only');
      // Swap the sample for a friendlier one: drop the first sampled item.
      await tx.query(
        `UPDATE qa_draws SET result = jsonb_set(result, '{sampled}', (result->'sampled') - 0) WHERE id = $1`,
        [draw.id],
      );
      await tx.query('ALTER TABLE qa_draws ENABLE TRIGGER qa_draws_append_only');
    });
    expect((await readDraw(app.db, draw.id)).reproduced).toBe(false);
  });

  it('operators not listed are in nesting and every item of theirs is sampled', async () => {
    const res = await request(app.url, '/api/qa/draws', { token: lead, body: body({ operators: [] }) });
    const { draw } = runDrawResponseSchema.parse(res.body);
    expect(draw.result.sampled).toHaveLength(200);
    expect(new Set(draw.result.sampled.map((s) => s.reason))).toEqual(new Set(['nesting']));
  });

  it('a day without resolutions records an empty draw', async () => {
    const res = await request(app.url, '/api/qa/draws', {
      token: lead,
      body: body({ lotDate: '2026-01-01' }),
    });
    expect(res.status).toBe(200);
    expect(runDrawResponseSchema.parse(res.body).draw).toMatchObject({
      populationSize: 0,
      result: { sampled: [] },
    });
  });

  it('bad input is a 400 naming the field, never a 500', async () => {
    const badAql = await request(app.url, '/api/qa/draws', {
      token: lead,
      body: body({
        policy: {
          ...policy,
          rules: [
            { sopModuleId: '*', tier: 'mature', method: { kind: 'lot', aql: '3' as '2.5', level: 'II' } },
          ],
        },
      }),
    });
    expect(expectApiError(badAql, 400, 'invalid_request').issues?.map((i) => i.path)).toContain(
      'body.policy.rules.0.method.aql',
    );
    const noRule = await request(app.url, '/api/qa/draws', {
      token: lead,
      body: body({ policy: { ...policy, rules: [policy.rules[1] as SamplingPolicy['rules'][number]] } }),
    });
    const error = expectApiError(noRule, 400, 'invalid_request');
    expect(error.message).toContain('no rule for module price-mismatch, tier standard');
    expect(error.issues?.[0]?.path).toBe('body.policy.rules');
    const badDate = await request(app.url, '/api/qa/draws', {
      token: lead,
      body: { ...body(), lotDate: '2026-13-01' },
    });
    expect(expectApiError(badDate, 400, 'invalid_request').issues?.[0]?.path).toBe('body.lotDate');
    const unknown = await request(app.url, '/api/qa/draws/00000000-0000-4000-8000-000000000000', {
      token: lead,
    });
    expectApiError(unknown, 404, 'not_found');
  });

  it('operators and reviewers cannot see draws', async () => {
    for (const username of ['operator1', 'qa1']) {
      const token = (await login(app.url, username, DEMO_PASSWORD)).accessToken;
      expect((await request(app.url, '/api/qa/draws', { token, body: body() })).status).toBe(403);
    }
  });
});

describe.each(databaseTargets())('npm run audit:verify after QA draws on $kind', (target) => {
  it('stays clean', async () => {
    const fresh = await target.fresh({ onDisk: true });
    try {
      const db = await openDatabase(fresh.options);
      await migrate(db);
      await seedDemo(db, { count: 30 });
      await resolveDemoItems(db, 10);
      const leadUser = { id: 'user-lead1', username: 'lead1', roles: ['lead' as const] };
      await recordDraw(db, leadUser, body());
      await recordDraw(db, leadUser, body({ operators: [] }));
      await sequencePass(db);
      await db.close();
      const result = verifyCli(fresh.options);
      expect(result.status, result.output).toBe(0);
      expect(result.output).toMatch(/audit chain intact/);
    } finally {
      await fresh.cleanup();
    }
  });
});
