import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceptionHistorySchema } from '@shared/api/exceptions';
import { exceptionNotesSchema } from '@shared/api/notes';
import { nextResponseSchema } from '@shared/api/work';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { login, request } from './helpers/http';
import { mutation } from './helpers/mutations';

/** Issue 11 item 1: a note is a thread entry the operator, QA and leads read back, and the history shows its text. */
describe.each(databaseTargets())('GET /api/exceptions/:id/notes on $kind', (target) => {
  let app: TestApp;
  let op1: string;
  let lead: string;
  let qa: string;

  beforeAll(async () => {
    app = await startTestApp(target, { demoCount: 200 });
    op1 = (await login(app.url, 'operator1', DEMO_PASSWORD)).accessToken;
    lead = (await login(app.url, 'lead1', DEMO_PASSWORD)).accessToken;
    qa = (await login(app.url, 'qa1', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('keeps the holder and a lead in one thread, oldest first, read by the operator, QA and leads', async () => {
    const next = await request(app.url, '/api/work/next', { token: op1, body: { count: 1 } });
    const id = nextResponseSchema.parse(next.body).items[0]!.exception.id;
    const first = mutation({ kind: 'exception.note', exceptionId: id, text: 'Asked AWS for the usage file' });
    const pushed = await request(app.url, '/api/sync/push', {
      token: op1,
      body: { clientId: randomUUID(), mutations: [first] },
    });
    expect(pushed.body).toMatchObject({ results: [{ outcome: 'applied' }] });
    const second = mutation(
      { kind: 'exception.note', exceptionId: id, text: 'Customer confirmed the rate' },
      new Date(Date.parse(first.occurredAt) + 1000),
    );
    expect(
      (
        await request(app.url, '/api/sync/push', {
          token: lead,
          body: { clientId: randomUUID(), mutations: [second] },
        })
      ).body,
    ).toMatchObject({ results: [{ outcome: 'applied' }] });

    for (const token of [op1, qa, lead]) {
      const res = await request(app.url, `/api/exceptions/${id}/notes`, { token });
      expect(res.status).toBe(200);
      expect(exceptionNotesSchema.parse(res.body).notes).toEqual([
        expect.objectContaining({
          id: first.mutationId,
          authorId: 'user-operator1',
          authorName: expect.any(String),
          text: 'Asked AWS for the usage file',
        }),
        expect.objectContaining({
          id: second.mutationId,
          authorId: 'user-lead1',
          authorName: 'Grace Liu',
          text: 'Customer confirmed the rate',
        }),
      ]);
    }

    const history = await request(app.url, `/api/exceptions/${id}/history?limit=5`, { token: lead });
    const notes = exceptionHistorySchema
      .parse(history.body)
      .entries.filter((e) => e.kind === 'exception.note');
    expect(notes.map((e) => e.reason)).toEqual([
      'Customer confirmed the rate',
      'Asked AWS for the usage file',
    ]);
  });

  it("answers 404 to an operator for another operator's item and for an unknown one", async () => {
    const rows = await app.db.query<{ id: string }>(
      `SELECT id FROM exceptions WHERE assignee_id IS DISTINCT FROM 'user-operator1' ORDER BY id LIMIT 1`,
    );
    expect((await request(app.url, `/api/exceptions/${rows[0]!.id}/notes`, { token: op1 })).status).toBe(404);
    expect((await request(app.url, '/api/exceptions/EX-999999/notes', { token: lead })).status).toBe(404);
  });
});
