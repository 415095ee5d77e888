import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextResponseSchema, type LeasedItem } from '@shared/api/work';
import { generateDemoExceptions } from '@shared/demo/generate';
import type { ExceptionRecord } from '@shared/exception';
import { money, subtract } from '@shared/money';
import { MAX_PUSH_BATCH, pushResponseSchema, type Mutation, type MutationBody } from '@shared/sync/mutations';
import { insertExceptions } from '../../server/src/features/exceptions/repo';
import { DEMO_PASSWORD } from '../../server/src/demo/users';
import { startTestApp, type TestApp } from './helpers/app';
import { databaseTargets } from './helpers/databases';
import { expectApiError, login, request } from './helpers/http';
import { mutation, resolve, start } from './helpers/mutations';

const HOUR = 3_600_000;

/** A short payment: the customer paid `actual` of `expected` USD, so variance = actual - expected. */
function shortPayment(base: ExceptionRecord, id: string, expected: string, actual: string): ExceptionRecord {
  const now = Date.now();
  const e = money(expected, 'USD');
  const a = money(actual, 'USD');
  return {
    ...base,
    id,
    type: 'short_payment',
    status: 'open',
    assigneeId: null,
    version: 1,
    priority: 1,
    channel: 'direct',
    expected: e,
    actual: a,
    variance: subtract(a, e),
    slaDueAt: new Date(now + HOUR).toISOString(),
    openedAt: new Date(now - 48 * HOUR).toISOString(),
    updatedAt: new Date(now - 48 * HOUR).toISOString(),
  };
}

describe.each(databaseTargets())('push hardening on $kind', (target) => {
  let app: TestApp;
  let url: string;
  const token: Record<string, string> = {};
  const leased = new Map<string, LeasedItem>();

  const pushRaw = (who: string, body: unknown) => request(url, '/api/sync/push', { token: token[who], body });
  const push = async (who: string, mutations: unknown[], clientId: string = randomUUID()) => {
    const res = await pushRaw(who, { clientId, mutations });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return pushResponseSchema.parse(res.body).results;
  };
  const item = (id: string): LeasedItem => {
    const got = leased.get(id);
    if (!got) throw new Error(`${id} is not leased`);
    return got;
  };
  const writeOffOf = (id: string, amount: string, at = new Date()): MutationBody =>
    resolve(
      item(id).exception,
      item(id).lease.leaseId,
      {
        prefer: { actions: ['write_off'], code: '53' },
        amount,
        note: 'customer paid short',
      },
      at,
    );
  const statusOf = async (id: string): Promise<string | undefined> =>
    (await app.db.query<{ status: string }>('SELECT status FROM exceptions WHERE id = $1', [id]))[0]?.status;

  beforeAll(async () => {
    app = await startTestApp(target);
    url = app.url;
    const [base] = generateDemoExceptions({ count: 1, seed: 3, now: new Date() });
    if (!base) throw new Error('no base record');
    await app.db.transaction((tx) =>
      insertExceptions(tx, [
        shortPayment(base, 'EX-SHORT01', '5000.00', '3857.50'), // -1,142.50 USD
        shortPayment(base, 'EX-SHORT02', '102.50', '100.00'), // -2.50 USD
        shortPayment(base, 'EX-SHORT03', '900.00', '700.00'), // -200.00 USD
        shortPayment(base, 'EX-NOTES01', '10.00', '9.00'),
        shortPayment(base, 'EX-NOTES02', '10.00', '9.00'),
      ]),
    );
    for (const who of ['operator1', 'operator2'])
      token[who] = (await login(url, who, DEMO_PASSWORD)).accessToken;
    const res = await request(url, '/api/work/next', {
      token: token.operator1,
      body: { count: 10, types: ['short_payment'] },
    });
    expect(res.status).toBe(200);
    for (const got of nextResponseSchema.parse(res.body).items) leased.set(got.exception.id, got);
    expect([...leased.keys()].sort()).toEqual([
      'EX-NOTES01',
      'EX-NOTES02',
      'EX-SHORT01',
      'EX-SHORT02',
      'EX-SHORT03',
    ]);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('a resolution amount is checked against the exception variance', () => {
    it('refuses a 0.01 write-off, the wrong sign, or "-0" on a -1,142.50 USD variance', async () => {
      const results = await push('operator1', [
        mutation(writeOffOf('EX-SHORT01', '0.01')),
        mutation(writeOffOf('EX-SHORT01', '-0.01')),
        mutation(writeOffOf('EX-SHORT01', '1142.50')),
        mutation(writeOffOf('EX-SHORT01', '-0')),
      ]);
      expect(results.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      expect(results[0]?.reason).toMatch(/amount must be negative, as the variance is \(-\$1,142\.50\)/);
      expect(results[1]?.reason).toMatch(
        /write-off closes the whole variance: the amount must be exactly -\$1,142\.50/,
      );
      expect(results[2]?.reason).toMatch(/must be negative/);
      expect(results[3]?.reason).toMatch(/cannot be zero/);
      expect(await statusOf('EX-SHORT01')).toBe('assigned');
      const stored = await app.db.query('SELECT 1 FROM exception_resolutions WHERE exception_id = $1', [
        'EX-SHORT01',
      ]);
      expect(stored).toEqual([]);
    });

    it('refuses a 249.99 write-off on a 2.50 item, either sign', async () => {
      const results = await push('operator1', [
        mutation(writeOffOf('EX-SHORT02', '249.99')),
        mutation(writeOffOf('EX-SHORT02', '-249.99')),
      ]);
      expect(results.map((r) => r.outcome)).toEqual(['rejected', 'rejected']);
      expect(results[1]?.reason).toMatch(/exactly -\$2\.50/);
      expect(await statusOf('EX-SHORT02')).toBe('assigned');
    });

    it('sends an exact write-off above the threshold to a lead, timed by the server clock', async () => {
      // Worked offline two days ago: the approval queue still orders it by when it arrived.
      const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
      const [result] = await push('operator1', [
        mutation(writeOffOf('EX-SHORT01', '-1142.50', twoDaysAgo), twoDaysAgo),
      ]);
      expect(result?.outcome).toBe('applied');
      expect(await statusOf('EX-SHORT01')).toBe('pending_approval');
      const approvals = await app.db.query<{ requested_at: Date; amount: string }>(
        `SELECT a.requested_at, r.amount::text AS amount FROM approvals a
         JOIN exception_resolutions r ON r.id = a.resolution_id WHERE a.exception_id = $1`,
        ['EX-SHORT01'],
      );
      expect(approvals).toHaveLength(1);
      expect(approvals[0]?.amount).toBe('-1142.5000000000');
      expect(Math.abs((approvals[0]?.requested_at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    });

    it('lets an exact write-off within the threshold apply without a lead', async () => {
      const [result] = await push('operator1', [mutation(writeOffOf('EX-SHORT02', '-2.5'))]);
      expect(result?.outcome).toBe('applied');
      expect(await statusOf('EX-SHORT02')).toBe('resolved');
    });
  });

  describe('one mutation the server cannot take does not hold back the batch', () => {
    const note = (id: string, text: string): MutationBody => ({
      kind: 'exception.note',
      exceptionId: id,
      text,
    });

    it('rejects a NUL in a note, a lone surrogate in a skip reason and occurredAt 0000-01-01, and applies the rest', async () => {
      const clientId = randomUUID();
      const ok1 = mutation(note('EX-NOTES01', 'called the customer'));
      const nul = mutation(note('EX-NOTES01', 'bad\u0000byte'));
      const surrogate = mutation({
        kind: 'exception.skip',
        exceptionId: 'EX-NOTES02',
        leaseId: item('EX-NOTES02').lease.leaseId,
        reason: 'broken \uD800 reason',
      });
      const ancient = {
        ...mutation(note('EX-NOTES01', 'from the year zero')),
        occurredAt: '0000-01-01T00:00:00Z',
      };
      const ok2 = mutation(start('EX-NOTES02', item('EX-NOTES02').lease.leaseId));
      const batch = [ok1, nul, surrogate, ancient, ok2];
      const results = await push('operator1', batch, clientId);
      expect(results.map((r) => [r.mutationId, r.outcome])).toEqual([
        [ok1.mutationId, 'applied'],
        [nul.mutationId, 'rejected'],
        [surrogate.mutationId, 'rejected'],
        [ancient.mutationId, 'rejected'],
        [ok2.mutationId, 'applied'],
      ]);
      expect(results[1]?.reason).toMatch(/body\.text: contains a NUL byte or an unpaired surrogate/);
      expect(results[2]?.reason).toMatch(/body\.reason: contains a NUL byte or an unpaired surrogate/);
      expect(results[3]?.reason).toMatch(/occurredAt is more than 30 days before the server clock/);
      for (const r of results) expect(r.reason ?? '').not.toMatch(/year zero|broken|bad/);
      expect(await statusOf('EX-NOTES02')).toBe('in_progress');

      // The desk resends the same batch (its answer was lost): the same outcomes, as duplicates.
      const again = await push('operator1', batch, clientId);
      expect(again.map((r) => [r.outcome, r.originalOutcome])).toEqual([
        ['duplicate', 'applied'],
        ['duplicate', 'rejected'],
        ['duplicate', 'rejected'],
        ['duplicate', 'rejected'],
        ['duplicate', 'applied'],
      ]);
      expect(again[1]?.reason).toBe(results[1]?.reason);
    });

    it('rejects occurredAt in year 9999 on its own, and the audit keeps the server time', async () => {
      const before = Date.now();
      const future = {
        ...mutation(note('EX-NOTES01', 'from the future')),
        occurredAt: '9999-12-31T23:59:59Z',
      };
      const fine = mutation(note('EX-NOTES01', 'from now'));
      const results = await push('operator1', [future, fine]);
      expect(results.map((r) => r.outcome)).toEqual(['rejected', 'applied']);
      expect(results[0]?.reason).toMatch(/occurredAt is more than 10 minutes ahead of the server clock/);
      const audit = await app.db.query<{
        at: Date;
        details: { receivedAt: string; occurredAt: string | null };
      }>(`SELECT at, details FROM audit_log WHERE details->>'mutationId' = ANY($1::text[]) ORDER BY id`, [
        [future.mutationId, fine.mutationId],
      ]);
      expect(audit).toHaveLength(2);
      for (const row of audit) {
        expect(row.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(row.at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
        expect(Date.parse(row.details.receivedAt)).toBe(row.at.getTime());
        expect(row.details.occurredAt ?? '').not.toMatch(/^9999/);
      }
      const logged = await app.db.query<{ occurred_at: Date; received_at: Date }>(
        'SELECT occurred_at, received_at FROM sync_mutations WHERE mutation_id = $1',
        [future.mutationId],
      );
      expect(logged[0]?.occurred_at.getUTCFullYear()).toBeLessThan(9999);
      expect(Math.abs((logged[0]?.received_at.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    });

    it('rejects only the mutation whose own write fails in the database, and applies the others', async () => {
      // A real refusal from the database for one row (as a constraint or a disk error would give).
      await app.db.exec(`
        CREATE FUNCTION test_refuse_note() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          IF NEW.text = 'the database refuses this one' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
          RETURN NEW;
        END $fn$;
        CREATE TRIGGER test_refuse_note BEFORE INSERT ON exception_notes
          FOR EACH ROW EXECUTE FUNCTION test_refuse_note();`);
      try {
        const a = mutation(note('EX-NOTES01', 'first'));
        const b = mutation(note('EX-NOTES01', 'the database refuses this one'));
        const c = mutation(note('EX-NOTES01', 'third'));
        const results = await push('operator1', [a, b, c]);
        expect(results.map((r) => r.outcome)).toEqual(['applied', 'rejected', 'applied']);
        expect(results[1]?.reason).toMatch(/could not store this change/);
        expect(results[1]?.reason).not.toMatch(/test trigger/);
        const notes = await app.db.query<{ text: string }>(
          'SELECT text FROM exception_notes WHERE mutation_id = ANY($1::text[]) ORDER BY id',
          [[a.mutationId, b.mutationId, c.mutationId]],
        );
        expect(notes.map((n) => n.text)).toEqual(['first', 'third']);
      } finally {
        await app.db.exec(
          'DROP TRIGGER test_refuse_note ON exception_notes; DROP FUNCTION test_refuse_note();',
        );
      }
    });

    it('answers a bad envelope 400 naming the field, without echoing it', async () => {
      const bad = await pushRaw('operator1', {
        clientId: 'not-a-uuid\u0000<script>',
        mutations: [mutation(note('EX-NOTES01', 'x'))],
      });
      const error = expectApiError(bad, 400, 'invalid_request');
      expect(JSON.stringify(error)).toMatch(/clientId/);
      expect(JSON.stringify(error)).not.toMatch(/script/);
      const tooMany = Array.from({ length: MAX_PUSH_BATCH + 1 }, () => mutation(note('EX-NOTES01', 'x')));
      expectApiError(
        await pushRaw('operator1', { clientId: randomUUID(), mutations: tooMany }),
        400,
        'invalid_request',
      );
      const noId = await pushRaw('operator1', { clientId: randomUUID(), mutations: [{ seq: 1 }] });
      expect(JSON.stringify(expectApiError(noId, 400, 'invalid_request'))).toMatch(/mutationId/);
    });
  });

  describe('idempotency is keyed by the signed-in user', () => {
    const note = (text: string): MutationBody => ({
      kind: 'exception.note',
      exceptionId: 'EX-NOTES01',
      text,
    });

    it("is not blocked by the same mutation id pushed first by another user under the victim's client id", async () => {
      const victimClient = randomUUID();
      const mine = mutation(note('my real note'));
      const squat: Mutation = { ...mutation(note('squatted')), mutationId: mine.mutationId };
      const [theirs] = await push('operator2', [squat], victimClient);
      expect(theirs?.outcome).toBe('rejected'); // not their item; recorded under their user
      const [result] = await push('operator1', [mine], victimClient);
      expect(result).toEqual({ mutationId: mine.mutationId, outcome: 'applied', reason: null });
      const stored = await app.db.query<{ text: string }>(
        'SELECT text FROM exception_notes WHERE mutation_id = $1',
        [mine.mutationId],
      );
      expect(stored).toEqual([{ text: 'my real note' }]);
      // And the victim's own replay is still a duplicate of their applied note.
      const [replay] = await push('operator1', [mine], victimClient);
      expect(replay).toMatchObject({ outcome: 'duplicate', originalOutcome: 'applied' });
    });

    it('refuses the same id re-used with different content, and calls an identical replay a duplicate, under any client id', async () => {
      const first = mutation(note('the original'));
      expect((await push('operator1', [first]))[0]?.outcome).toBe('applied');
      const [same] = await push('operator1', [first], randomUUID());
      expect(same).toMatchObject({ outcome: 'duplicate', originalOutcome: 'applied' });
      // A desk renumbers a change it retries after a refused request: still the same change.
      const [renumbered] = await push('operator1', [{ ...first, seq: first.seq + 10_000 }]);
      expect(renumbered).toMatchObject({ outcome: 'duplicate', originalOutcome: 'applied' });
      const [changed] = await push('operator1', [{ ...first, body: note('something else') }]);
      expect(changed?.outcome).toBe('rejected');
      expect(changed?.reason).toMatch(/already used for a different change/);
      const texts = await app.db.query<{ text: string }>(
        'SELECT text FROM exception_notes WHERE mutation_id = $1',
        [first.mutationId],
      );
      expect(texts).toEqual([{ text: 'the original' }]);
    });
  });

  describe('client seq order', () => {
    it('refuses a later batch carrying a lower seq than one already applied, and still answers a retry as duplicates', async () => {
      const clientId = randomUUID();
      const early = mutation({ kind: 'exception.note', exceptionId: 'EX-NOTES01', text: 'made first' });
      const late = mutation({ kind: 'exception.note', exceptionId: 'EX-NOTES01', text: 'made second' });
      expect((await push('operator1', [late], clientId))[0]?.outcome).toBe('applied');
      const [result] = await push('operator1', [early], clientId);
      expect(result?.outcome).toBe('rejected');
      expect(result?.reason).toMatch(/after a later change from this desk/);
      const [retry] = await push('operator1', [late], clientId);
      expect(retry).toMatchObject({ outcome: 'duplicate', originalOutcome: 'applied' });
      // Another user on the same desk keeps their own order.
      const other = { ...early, mutationId: randomUUID() };
      const [theirs] = await push('operator2', [other], clientId);
      expect(theirs?.reason ?? '').not.toMatch(/later change/);
    });
  });
});
