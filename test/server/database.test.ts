import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoExceptions } from '@shared/demo/generate';
import type { ExceptionRecord } from '@shared/exception';
import { money, subtract } from '@shared/money';
import type { AuthUser } from '../../server/src/auth/auth-user';
import { migrate, schemaVersion } from '../../server/src/db/migrate';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../server/src/db/migrations/index';
import { openDatabase } from '../../server/src/db/open';
import type { Database } from '../../server/src/db/types';
import { seedDemo } from '../../server/src/demo/seed';
import { getException, insertExceptions } from '../../server/src/features/exceptions/repo';
import { readFeed } from '../../server/src/features/sync/feed-repo';
import { startServer } from '../../server/src/start';
import { FeedSequencer, sequencePass } from '../../server/src/db/sequencer';
import { databaseTargets, type FreshDatabase } from './helpers/databases';
import { login, request } from './helpers/http';
import { DEMO_PASSWORD } from '../../server/src/demo/users';

const READER: AuthUser = { id: 'user-lead1', username: 'lead1', roles: ['lead'] };
const NOW = new Date('2026-03-15T09:30:00.000Z');

async function readWholeFeed(db: Database): Promise<{ seq: number; entityId: string; data: unknown }[]> {
  const out: { seq: number; entityId: string; data: unknown }[] = [];
  await sequencePass(db); // position whatever the test wrote directly, as the server would after commit
  let cursor = 0;
  for (;;) {
    const page = await readFeed(db, READER, cursor, 500);
    out.push(...page.changes.map((c) => ({ seq: c.seq, entityId: c.entityId, data: c.data })));
    cursor = page.cursor;
    if (!page.hasMore) return out;
  }
}

describe.each(databaseTargets())('data layer on $kind', (target) => {
  let fresh: FreshDatabase;
  let db: Database;

  beforeAll(async () => {
    fresh = await target.fresh({ onDisk: true });
    db = await openDatabase(fresh.options);
  });

  afterAll(async () => {
    await db?.close();
    await fresh?.cleanup();
  });

  it('migrates an empty database, then finds nothing to do', async () => {
    const first = await migrate(db);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(first.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    expect(second.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(await schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'approvals',
      'audit_chain',
      'audit_log',
      'audit_pending',
      'certifications',
      'change_feed',
      'close_expected_feeds',
      'close_explanations',
      'close_materiality',
      'close_periods',
      'close_signoffs',
      'close_staged_days',
      'evidence_blobs',
      'evidence_uploads',
      'exception_notes',
      'exception_resolutions',
      'exceptions',
      'ingest_bank_lines',
      'ingest_batches',
      'ingest_billed_lines',
      'ingest_billing_events',
      'ingest_billing_events_current',
      'ingest_payouts',
      'ingest_rate_cards',
      'ingest_usage_lines',
      'kpi_completions',
      'kpi_completions_daily',
      'kpi_invoice_daily',
      'kpi_invoice_days',
      'kpi_invoice_lines',
      'kpi_line_outcomes',
      'kpi_lines_daily',
      'kpi_qa_outcomes',
      'kpi_resolutions_daily',
      'kpi_stock',
      'kpi_stock_rollup',
      'leases',
      'login_throttle',
      'qa_calibration_rounds',
      'qa_disputes',
      'qa_draws',
      'qa_reviews',
      'recon_account_map',
      'recon_exceptions',
      'recon_line_outcomes',
      'recon_run_matches',
      'recon_runs',
      'recon_sku_map',
      'recon_suggestions',
      'refresh_tokens',
      'schema_migrations',
      'server_settings',
      'sop_drafts',
      'sop_modules',
      'sop_retirements',
      'superseded_submissions',
      'sync_mutations',
      'team_members',
      'user_work_types',
      'users',
    ]);
    const idx = await db.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'exceptions_queue'`,
    );
    expect(idx[0]?.indexdef).toContain('(status, priority, sla_due_at)');
  });

  it.runIf(target.kind === 'postgres')(
    'plans prepared statements (get-next) once per connection, generically',
    async () => {
      const [row] = await db.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode');
      expect(row?.plan_cache_mode).toBe('force_generic_plan');
    },
  );

  it('returns NUMERIC, INT8 and DATE as exact text, never as floats or shifted dates', async () => {
    await migrate(db); // idempotent; lets each test run alone with -t
    const rows = await db.query<Record<string, unknown>>(
      `SELECT '-12345678901234567890.0123456789'::numeric(30,10) AS n,
              9007199254740993::int8 AS big, '2026-01-31'::date AS d, 7::int4 AS i`,
    );
    expect(rows[0]).toEqual({
      n: '-12345678901234567890.0123456789',
      big: '9007199254740993',
      d: '2026-01-31',
      i: 7,
    });
  });

  it('stores amounts exactly at the edges of the money range', async () => {
    await migrate(db);
    const [base] = generateDemoExceptions({ count: 1, seed: 1, now: NOW });
    if (!base) throw new Error('no record');
    const record: ExceptionRecord = {
      ...base,
      id: 'EX-EDGE01',
      expected: money('99999999999999999999.9999999999', 'USD'),
      actual: money('0.0000000001', 'USD'),
      variance: subtract(money('0.0000000001', 'USD'), money('99999999999999999999.9999999999', 'USD')),
      slaDueAt: '2026-03-20T17:45:00.123+02:00',
      offerId: null,
      assigneeId: null,
    };
    await db.transaction((tx) => insertExceptions(tx, [record]));
    const back = await getException(db, READER, 'EX-EDGE01');
    expect(back?.expected.amount).toBe('99999999999999999999.9999999999');
    expect(back?.actual.amount).toBe('0.0000000001');
    expect(back?.variance.amount).toBe('-99999999999999999999.9999999998');
    expect(back?.evidence).toEqual(record.evidence);
    // The pull's JSON, written by PostgreSQL (exceptionSummaryJsonSql), says exactly what
    // rowToRecord says, less the evidence (which the feed does not carry).
    const viaFeed = (await readWholeFeed(db)).filter((c) => c.entityId === 'EX-EDGE01').at(-1)?.data;
    const { evidence: _evidence, ...summary } = back!;
    expect(viaFeed).toEqual(summary);
    await db.query(`DELETE FROM exceptions WHERE id = 'EX-EDGE01'`);
  });

  it('keeps the feed in commit order when writers run concurrently', async () => {
    await migrate(db);
    const before = (await readWholeFeed(db)).length;
    const records = generateDemoExceptions({ count: 40, seed: 99, now: NOW }).map((r, i) => ({
      ...r,
      id: `EX-CC${String(i).padStart(4, '0')}`,
    }));
    const seen: number[] = [];
    const sequencer = new FeedSequencer(db);
    let cursor = (await readFeed(db, READER, 0, 5000)).cursor;
    let writing = true;
    const puller = (async () => {
      // Pulls while the writers commit; a row that committed after a higher seq was read would be lost here.
      while (writing) {
        const page = await readFeed(db, READER, cursor, 1000);
        seen.push(...page.changes.map((c) => c.seq));
        cursor = page.cursor;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await Promise.all(
      records.map((r, i) =>
        db
          .transaction(async (tx) => {
            await insertExceptions(tx, [r]);
            // Hold the transaction open after inserting, longer for some writers than others.
            await tx.query('SELECT pg_sleep($1)', [(i % 5) * 0.01]);
          })
          .then(() => sequencer.kick()),
      ),
    );
    writing = false;
    await puller;
    await sequencer.kick();
    const tail = await readFeed(db, READER, cursor, 1000);
    seen.push(...tail.changes.map((c) => c.seq));
    const all = await readWholeFeed(db);
    expect(all.length).toBe(before + records.length);
    const expected = all.slice(before).map((c) => c.seq);
    expect(seen).toEqual(expected);
  });

  it('seeds demo data deterministically and only into an empty database', async () => {
    const other = await target.fresh();
    const db2 = await openDatabase(other.options);
    try {
      await migrate(db2);
      const a = await seedDemo(db2, { count: 120, seed: 7, now: NOW });
      expect(a).toEqual({ seeded: true, users: 6, exceptions: 120 });
      expect((await seedDemo(db2, { count: 120, seed: 7, now: NOW })).seeded).toBe(false);
      const feed = await readWholeFeed(db2);
      // What comes back through the database equals the generator's output, field for field.
      const generated = generateDemoExceptions({ count: 120, seed: 7, now: NOW });
      expect(feed.map((c) => c.data)).toEqual(
        generated.map(({ evidence: _evidence, ...summary }) => summary),
      );
      // The evidence the feed leaves out is stored as generated, row for row, columns in order.
      const stored = await db2.query<{ id: string; evidence: unknown }>(
        'SELECT id, evidence FROM exceptions ORDER BY id',
      );
      expect(stored.map((r) => r.evidence)).toEqual(
        [...generated].sort((x, y) => (x.id < y.id ? -1 : 1)).map((r) => r.evidence),
      );
    } finally {
      await db2.close();
      await other.cleanup();
    }
  });
});

describe.each(databaseTargets())('server restarts on $kind', (target) => {
  it('reopens its database without migrating or seeding again and keeps its JWT secret', async () => {
    const fresh = await target.fresh({ onDisk: true });
    try {
      const first = await startServer({ ...fresh.options, demo: true, demoCount: 30 });
      const { accessToken } = await login(first.url, 'admin1', DEMO_PASSWORD);
      await first.close();
      const second = await startServer({ ...fresh.options, demo: true, demoCount: 60 });
      try {
        const res = await request(second.url, '/api/sync/pull?limit=5000', { token: accessToken });
        expect(res.status).toBe(200);
        expect((res.body as { changes: unknown[] }).changes).toHaveLength(30);
      } finally {
        await second.close();
      }
    } finally {
      await fresh.cleanup();
    }
  });
});

const postgresOnly = databaseTargets().filter((t) => t.kind === 'postgres');

describe.runIf(postgresOnly.length > 0)('two servers on one PostgreSQL', () => {
  it('start together: one migrates and seeds, the other waits and finds it done', async () => {
    const target = postgresOnly[0];
    if (!target) return;
    const fresh = await target.fresh();
    try {
      const [a, b] = await Promise.all([
        startServer({ ...fresh.options, demo: true, demoCount: 50 }),
        startServer({ ...fresh.options, demo: true, demoCount: 50 }),
      ]);
      try {
        const { accessToken } = await login(a.url, 'lead1', DEMO_PASSWORD);
        // Both processes share the generated JWT secret, so a token from one works on the other.
        const res = await request(b.url, '/api/sync/pull?limit=5000', { token: accessToken });
        expect(res.status).toBe(200);
        expect((res.body as { changes: unknown[] }).changes).toHaveLength(50);
        const check = await openDatabase(fresh.options);
        try {
          const rows = await check.query<{ version: number }>(
            'SELECT version FROM schema_migrations ORDER BY version',
          );
          expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
          const users = await check.query<{ n: string }>('SELECT count(*) AS n FROM users');
          expect(users[0]?.n).toBe('6');
        } finally {
          await check.close();
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    } finally {
      await fresh.cleanup();
    }
  });
});
