import { z } from 'zod';
import type { Change } from '../../../shared/api/sync';
import { openDatabase, type SqliteDatabase } from './database';
import { createExceptionRepo, type ExceptionRepo } from './exception-repo';
import { createOutboxRepo, type OutboxRepo } from './outbox-repo';
import { createSettingsRepo, type SettingsRepo } from './settings-repo';

export const PULL_CURSOR_KEY = 'sync.pullCursor';
const cursorSchema = z.number().int().min(0);

/** The one data interface of the desktop app; nothing outside store/ writes SQL. */
export interface LocalStore {
  readonly file: string;
  readonly exceptions: ExceptionRepo;
  readonly settings: SettingsRepo;
  readonly outbox: OutboxRepo;
  transaction<T>(fn: () => T): T;
  pullCursor(): number;
  /** One pulled page and its cursor commit together, so a crash never skips or half-applies a page. */
  applyPulledPage(changes: readonly Change[], cursor: number): void;
  /** Forgets the pulled data and the cursor (sign-out, or a different user or server). */
  clearPulledData(): void;
  close(): void;
}

export function openLocalStore(file: string): LocalStore {
  const db: SqliteDatabase = openDatabase(file);
  const exceptions = createExceptionRepo(db);
  const settings = createSettingsRepo(db);
  const outbox = createOutboxRepo(db);

  const applyPage = db.transaction((changes: readonly Change[], cursor: number) => {
    // Feed order matters: an upsert then a delete of one id in a page must end deleted.
    for (const c of changes) {
      if (c.op === 'upsert') exceptions.upsert(c.data);
      else exceptions.remove(c.entityId);
    }
    settings.set(PULL_CURSOR_KEY, cursor);
  });
  const clearTx = db.transaction(() => {
    exceptions.clear();
    settings.delete(PULL_CURSOR_KEY);
  });

  return {
    file,
    exceptions,
    settings,
    outbox,
    transaction: (fn) => db.transaction(fn).immediate(),
    pullCursor: () => settings.get(PULL_CURSOR_KEY, cursorSchema) ?? 0,
    applyPulledPage(changes, cursor) {
      applyPage.immediate(changes, cursor);
    },
    clearPulledData() {
      clearTx.immediate();
    },
    close() {
      if (!db.open) return;
      try {
        db.pragma('optimize');
      } catch {
        // optimize is advisory; closing must not fail because of it
      }
      db.close();
    },
  };
}
