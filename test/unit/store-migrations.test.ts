import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/services/store/database';
import { exceptionRowParams } from '../../electron/services/store/exception-row';
import { openLocalStore } from '../../electron/services/store/local-store';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  migrate,
  StoreTooNewError,
  type Migration,
} from '../../electron/services/store/migrations';
import { makeException } from './fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';

const tmp = tempDir('migrations');
afterAll(() => tmp.remove());

describe('store migrations', () => {
  it('creates the schema on a new file with the durability settings', () => {
    const db = openDatabase(tmp.path('new.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['exceptions', 'exception_docs', 'settings', 'outbox']));
    db.close();
  });

  it('applies nothing twice when the file is reopened', () => {
    const file = tmp.path('reopen.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('applies only the migrations above the stored version, in order', () => {
    const db = new Database(tmp.path('custom.sqlite'));
    const order: number[] = [];
    const list: Migration[] = [
      { version: 1, name: 'a', up: (d) => (d.exec('CREATE TABLE a (x)'), order.push(1)) },
      { version: 2, name: 'b', up: (d) => (d.exec('CREATE TABLE b (x)'), order.push(2)) },
    ];
    expect(migrate(db, list.slice(0, 1))).toEqual([1]);
    expect(migrate(db, list)).toEqual([2]);
    expect(order).toEqual([1, 2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('rolls a failing migration back whole, version included', () => {
    const db = new Database(tmp.path('failing.sqlite'));
    const list: Migration[] = [
      { version: 1, name: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        name: 'fails half way',
        up: (d) => {
          d.exec('CREATE TABLE b (x)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, list)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'b'`).pluck().get()).toBe(0);
    db.close();
  });

  it('upgrades a version-1 file to leases and conflicts, keeping its outbox rows', () => {
    const file = tmp.path('v1.sqlite');
    const raw = new Database(file);
    expect(migrate(raw, MIGRATIONS.slice(0, 1))).toEqual([1]);
    raw
      .prepare(
        `INSERT INTO outbox (mutation_id, user_id, kind, payload, created_at, updated_at) VALUES ('m', 'u', 'k', '{}', 1, 1)`,
      )
      .run();
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT mutation_id, exception_id FROM outbox').all()).toEqual([
      { mutation_id: 'm', exception_id: null },
    ]);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['leases', 'conflicts']));
    db.close();
  });

  it('upgrades a version-2 file to summary columns and evidence apart, keeping every record exactly', () => {
    const file = tmp.path('v2.sqlite');
    const raw = new Database(file);
    expect(migrate(raw, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    const records = [
      makeException(1, { offerId: 'offer-1', assigneeId: 'op-7', slaDueAt: '2025-03-01T09:30:00+02:00' }),
      makeException(2, { expected: { amount: '12345678901234567890.1234567891', currency: 'EUR' } }),
    ];
    // Written as version 2 wrote them: the narrow row, then summary and evidence as JSON.
    const row = raw.prepare(
      `INSERT INTO exceptions (id, type, status, channel, priority, sla_due, opened_at, updated_at,
         variance_amount, variance_currency, variance_sort_key, version, search_text)
       VALUES (${Array.from({ length: 13 }, () => '?').join(', ')}) RETURNING rid`,
    );
    const docs = raw.prepare('INSERT INTO exception_docs (rid, summary, evidence) VALUES (?, ?, ?)');
    for (const r of records) {
      const { rid } = row.get(...exceptionRowParams(r)) as { rid: number };
      const { evidence, ...summary } = r;
      docs.run(rid, JSON.stringify(summary), JSON.stringify(evidence));
    }
    raw.close();

    const store = openLocalStore(file);
    for (const r of records) expect(store.exceptions.get(r.id)).toEqual(r);
    const { rows } = store.exceptions.page({ sort: 'priority_sla', offset: 0, limit: 10 });
    expect(rows).toHaveLength(2);
    for (const summary of rows) {
      const { evidence: _evidence, ...expected } = records.find((r) => r.id === summary.id)!;
      expect(summary).toEqual(expected);
    }
    store.close();
  });

  it('refuses a file written by a newer app', () => {
    const file = tmp.path('newer.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(StoreTooNewError);
  });
});
