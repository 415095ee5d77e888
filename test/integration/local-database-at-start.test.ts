import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, openSync, readFileSync, readdirSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppServices, DATABASE_FILE, type AppServices } from '../../electron/services/app-services';
import { createMemorySecretStore } from '../../electron/services/session/secret-store';
import { LATEST_SCHEMA_VERSION, StoreTooNewError } from '../../electron/services/store/migrations';
import { makeException } from '../unit/fixtures/exception-factory';
import { tempDir } from '../support/temp-dir';
import { call, ok } from './typed-dispatch';

/**
 * Issue 10 items 9 and 15: what the desk does at start with a local database it cannot simply
 * use. A file written by a newer app is refused, in words, and left exactly as it was; a file
 * SQLite reports as damaged is moved aside (never deleted), its unsent work and drafts are kept,
 * and the rest comes back from the server with the normal first sync.
 */
const tmp = tempDir('db-at-start');
afterAll(() => tmp.remove());

const USER = 'user-1';
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function desk(dataDir: string): Promise<AppServices> {
  return createAppServices({
    dataDir,
    secretStore: createMemorySecretStore(),
    mode: 'browser',
    // Nothing listens there: these tests are about the file, before any sync.
    defaultServerUrl: 'http://127.0.0.1:9',
    version: 'test',
    serverEvents: false,
  });
}

/** Overwrites one page of the file with garbage, as a bad sector or a torn write would. */
function damagePage(file: string, pageno: number, pageSize: number): void {
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (pageno - 1) * pageSize);
  closeSync(fd);
}

function leafPages(file: string, table: string): { pageno: number; ncell: number }[] {
  const db = new Database(file, { readonly: true });
  const pages = db
    .prepare(`SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno`)
    .all(table) as { pageno: number; ncell: number }[];
  db.close();
  return pages;
}

describe('a local database written by a newer app', () => {
  it('is refused with words that say to update the app, and the file is left unchanged', async () => {
    const dataDir = tmp.path('newer');
    const first = await desk(dataDir);
    first.store.exceptions.upsert(makeException(1));
    await first.close();
    const file = join(dataDir, DATABASE_FILE);
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    // A newer app might also have left the file in rollback-journal mode: that must stay too.
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = sha256(file);

    const opening = desk(dataDir);
    await expect(opening).rejects.toBeInstanceOf(StoreTooNewError);
    await expect(opening).rejects.toThrow(/newer than this app knows.*update the app/);
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dataDir).filter((f) => f.startsWith(DATABASE_FILE))).toEqual([DATABASE_FILE]);
  });
});

describe('a damaged local database', () => {
  it('is moved aside, its unsent results and drafts are kept, and the operator is told', async () => {
    const dataDir = tmp.path('damaged');
    const first = await desk(dataDir);
    const clientId = first.store.clientId();
    first.store.transaction(() => {
      for (let n = 1; n <= 2_000; n += 1) first.store.exceptions.upsert(makeException(n));
    });
    const TOTAL = 300;
    for (let i = 1; i <= TOTAL; i += 1) {
      first.store.outbox.enqueue({
        mutationId: randomUUID(),
        userId: USER,
        occurredAt: new Date().toISOString(),
        // Long notes spread the outbox over many pages, as a day offline would.
        body: {
          kind: 'exception.note',
          exceptionId: makeException(i).id,
          text: `note ${i} `.padEnd(1500, '.'),
        },
        now: Date.now(),
      });
    }
    for (let i = 1; i <= 5; i += 1) {
      first.store.checklists.save(USER, makeException(i).id, {
        sop: { moduleId: 'usage-mismatch', version: '1.0.0' },
        answers: { 'check-meter': 'yes' },
        activeMsDelta: 1000 * i,
        stepMsDelta: {},
        now: Date.now(),
      });
    }
    await first.close();

    const file = join(dataDir, DATABASE_FILE);
    const pageSize = 16_384;
    const outboxLeaves = leafPages(file, 'outbox');
    const exceptionLeaves = leafPages(file, 'exceptions');
    expect(outboxLeaves.length).toBeGreaterThan(10);
    // One page in the middle of the outbox and one in the middle of the exceptions.
    const hit = outboxLeaves[Math.floor(outboxLeaves.length / 2)]!;
    damagePage(file, hit.pageno, pageSize);
    damagePage(file, exceptionLeaves[Math.floor(exceptionLeaves.length / 2)]!.pageno, pageSize);
    const damagedHash = sha256(file);

    // The same path the app takes at start.
    const app = await desk(dataDir);
    try {
      const recovery = app.storeRecovery;
      expect(recovery).not.toBeNull();
      expect(recovery!.outbox).toBe(TOTAL - hit.ncell);
      expect(recovery!.drafts).toBe(5);
      expect(recovery!.message).toContain(
        `Your local database was damaged; ${TOTAL - hit.ncell} unsent results and 5 drafts were kept; ` +
          'the rest is being reloaded from the server.',
      );
      // Never deleted: the damaged file is beside the new one, byte for byte.
      expect(existsSync(recovery!.movedTo)).toBe(true);
      expect(recovery!.movedTo.startsWith(`${file}.damaged-`)).toBe(true);
      expect(sha256(recovery!.movedTo)).toBe(damagedHash);

      // The renderer reads it from app.info.
      expect(ok(await call(app.router, 'app.info', {})).storeRecovery).toMatchObject({
        outbox: TOTAL - hit.ncell,
        drafts: 5,
      });

      // What was kept is really there, and pushes as the same client with seqs that keep rising.
      expect(app.store.outbox.counts(USER)).toEqual({ pending: TOTAL - hit.ncell, failed: 0, rejected: 0 });
      expect(app.store.checklists.get(USER, makeException(3).id)).toMatchObject({
        answers: { 'check-meter': 'yes' },
        activeMs: 3000,
      });
      expect(app.store.clientId()).toBe(clientId);
      const seq = app.store.outbox.enqueue({
        mutationId: randomUUID(),
        userId: USER,
        occurredAt: new Date().toISOString(),
        body: { kind: 'exception.note', exceptionId: 'EX-000001', text: 'after the repair' },
        now: Date.now(),
      });
      expect(seq).toBeGreaterThan(TOTAL);
      // The rest is reloaded by the first sync: the new store starts empty and never pulled.
      expect(app.store.exceptions.countAll()).toBe(0);
      expect(app.store.pullCursor()).toBe(0);
    } finally {
      await app.close();
    }
    // And the new file is sound: the next start opens it as it is.
    const again = await desk(dataDir);
    expect(again.storeRecovery).toBeNull();
    await again.close();
  });

  it('keeps the outbox when the damage is the root of the drafts table', async () => {
    const dataDir = tmp.path('damaged-root');
    const first = await desk(dataDir);
    for (let i = 1; i <= 20; i += 1) {
      first.store.outbox.enqueue({
        mutationId: randomUUID(),
        userId: USER,
        occurredAt: new Date().toISOString(),
        body: { kind: 'exception.note', exceptionId: makeException(i).id, text: `note ${i}` },
        now: Date.now(),
      });
    }
    first.store.checklists.save(USER, 'EX-000001', {
      sop: { moduleId: 'usage-mismatch', version: '1.0.0' },
      answers: {},
      activeMsDelta: 1,
      stepMsDelta: {},
      now: Date.now(),
    });
    await first.close();
    const file = join(dataDir, DATABASE_FILE);
    const db = new Database(file, { readonly: true });
    const root = db
      .prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'checklists'`)
      .pluck()
      .get() as number;
    db.close();
    damagePage(file, root, 16_384);

    const app = await desk(dataDir);
    try {
      expect(app.storeRecovery).toMatchObject({ outbox: 20, drafts: 0 });
      expect(app.storeRecovery!.message).toMatch(/20 unsent results and 0 drafts were kept/);
      expect(app.store.outbox.counts(USER).pending).toBe(20);
    } finally {
      await app.close();
    }
  });
});
