import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Change } from '@shared/api/sync';
import { createConflictRepo, type ConflictRepo } from './conflict-repo';
import { openDatabase, toRollbackJournal, toWal, type SqliteDatabase } from './database';
import { createExceptionRepo, type ExceptionRepo } from './exception-repo';
import { createLeaseRepo, type LeaseRepo } from './lease-repo';
import { localEffectOf } from './local-effect';
import { needsApproval } from '@shared/sop/engine';
import type { MutationBody } from '@shared/sync/mutations';
import { createOutboxRepo, type OutboxRepo } from './outbox-repo';
import { createSettingsRepo, type SettingsRepo } from './settings-repo';
import { createChecklistRepo, type ChecklistRepo } from './checklist-repo';
import { createSopRepo, type SopRepo } from './sop-repo';
import { createEvidenceFileRepo, type EvidenceFileRepo } from './evidence-file-repo';
import { createNoteRepo, type NoteRepo } from './note-repo';

export const PULL_CURSOR_KEY = 'sync.pullCursor';
/** This install's id on the push protocol: the server dedupes on (clientId, mutationId). */
export const CLIENT_ID_KEY = 'sync.clientId';
/** The indexes a first sync dropped, to build once it has landed (or at the next open after a crash). */
export const DEFERRED_INDEXES_KEY = 'store.deferredIndexes';
const cursorSchema = z.number().int().min(0);

/** The one data interface of the desktop app; nothing outside store/ writes SQL. */
export interface LocalStore {
  readonly file: string;
  readonly exceptions: ExceptionRepo;
  readonly settings: SettingsRepo;
  readonly outbox: OutboxRepo;
  readonly leases: LeaseRepo;
  readonly conflicts: ConflictRepo;
  readonly sops: SopRepo;
  readonly checklists: ChecklistRepo;
  /** Attached evidence files (bytes by SHA-256), kept across sign-outs. */
  readonly evidenceFiles: EvidenceFileRepo;
  /** Items' note threads: written here, or fetched from the server and kept for offline. */
  readonly notes: NoteRepo;
  /** A uuid made once per install (per database file) and kept in settings. */
  clientId(): string;
  transaction<T>(fn: () => T): T;
  pullCursor(): number;
  /** One pulled page and its cursor commit together, so a crash never skips or half-applies a page. */
  applyPulledPage(changes: readonly Change[], cursor: number): void;
  /**
   * Applies `changes` from index `from`, in feed order, in one transaction that stops once
   * `budgetMs` has passed (after at least one change); answers where to continue. The cursor is
   * stored with the page's last change only, so after a crash the page is pulled and applied
   * again from its start (an upsert or a delete applied twice ends the same) and never skipped.
   * For a caller that lets the event loop answer the window between slices.
   */
  applyPulledSlice(changes: readonly Change[], from: number, cursor: number, budgetMs: number): number;
  /**
   * Before a first sync of many pages into an empty store: drop the exception indexes, to be
   * built once by endInitialLoad (each page then appends rows instead of updating five B-trees
   * at random places). False, and nothing changed, unless the store is empty and never pulled.
   */
  beginInitialLoad(): boolean;
  /** Builds the indexes a first sync deferred; nothing when none are deferred. */
  endInitialLoad(): void;
  /**
   * endInitialLoad one index at a time, each in its own transaction: true while more is left
   * (call again after letting the event loop run), false once the store is back to normal.
   */
  endInitialLoadStep(): boolean;
  /** Forgets the pulled data and the cursor (sign-out, or a different user or server). */
  clearPulledData(): void;
  close(): void;
}

export function openLocalStore(file: string): LocalStore {
  const db: SqliteDatabase = openDatabase(file);
  const exceptions = createExceptionRepo(db);
  const settings = createSettingsRepo(db);
  const deferredSchema = z.array(z.string());
  const endInitialLoadTx = db.transaction(() => {
    const deferred = settings.get(DEFERRED_INDEXES_KEY, deferredSchema);
    if (!deferred) return;
    exceptions.restoreIndexes(deferred);
    settings.delete(DEFERRED_INDEXES_KEY);
  });
  // One index (or a few thousand rows of the search index) per transaction, the list of those
  // still to build committed with it, so a crash
  // between steps leaves the rest for the next open. The last step refreshes the statistics.
  const endInitialLoadStepTx = db.transaction((): boolean => {
    const deferred = settings.get(DEFERRED_INDEXES_KEY, deferredSchema);
    if (!deferred) return false;
    const [next, ...rest] = deferred;
    if (next === undefined) {
      exceptions.restoreIndexes([]);
      settings.delete(DEFERRED_INDEXES_KEY);
      return false;
    }
    const more = exceptions.restoreIndexStep(next);
    settings.set(DEFERRED_INDEXES_KEY, more === null ? rest : [more, ...rest]);
    return true;
  });
  // A crash during a first sync left indexes unbuilt: build them before anything reads.
  endInitialLoadTx.immediate();
  const outbox = createOutboxRepo(db);
  const leases = createLeaseRepo(db);
  const conflicts = createConflictRepo(db);
  const sops = createSopRepo(db);
  const checklists = createChecklistRepo(db);
  const evidenceFiles = createEvidenceFileRepo(db);
  const notes = createNoteRepo(db);

  /**
   * The server's state in a page predates any change the operator made that the server has not
   * acknowledged yet; re-applying those changes on top keeps the local queue showing the
   * operator's own work (the push, then a later pull, bring the server's verdict).
   */
  /** A resolve above its SOP's threshold shows as pending approval, as the server will hold it. */
  function heldForApproval(body: MutationBody): boolean {
    if (body.kind !== 'exception.resolve') return false;
    const module = sops.get(body.checklist.sop.moduleId, body.checklist.sop.version);
    return module !== null && needsApproval(module, body.resolution);
  }

  function reapplyUnacknowledged(changes: readonly Change[]): void {
    if (changes.length === 0 || !outbox.hasUnacknowledged()) return;
    const ids = [...new Set(changes.map((c) => c.entityId))];
    const at = new Date();
    for (const entry of outbox.unacknowledgedFor(ids)) {
      if (!entry.exceptionId) continue;
      const effect = localEffectOf(entry.body, heldForApproval(entry.body));
      if (effect.kind === 'status') exceptions.setLocalStatus(entry.exceptionId, effect.status, at);
      else if (effect.kind === 'remove') exceptions.remove(entry.exceptionId);
    }
  }

  const applySlice = db.transaction(
    (changes: readonly Change[], from: number, cursor: number, budgetMs: number): number => {
      const deadline = performance.now() + budgetMs;
      let end = from;
      // Feed order matters: an upsert then a delete of one id in a page must end deleted.
      while (end < changes.length) {
        const c = changes[end] as Change;
        if (c.op === 'upsert') exceptions.upsert(c.data);
        else exceptions.remove(c.entityId);
        end += 1;
        // The clock is read every 16 rows: a row costs tens of microseconds.
        if ((end - from) % 16 === 0 && performance.now() >= deadline) break;
      }
      reapplyUnacknowledged(changes.slice(from, end));
      if (end === changes.length) settings.set(PULL_CURSOR_KEY, cursor);
      return end;
    },
  );
  const clearTx = db.transaction(() => {
    exceptions.clear();
    settings.delete(PULL_CURSOR_KEY);
  });
  // Whether a first sync switched the file to a rollback journal (database.ts) until it ends.
  let rollbackJournal = false;
  const beginInitialLoadTx = db.transaction((): boolean => {
    const pulled = settings.get(PULL_CURSOR_KEY, cursorSchema) ?? 0;
    if (pulled !== 0 || exceptions.countAll() !== 0 || settings.get(DEFERRED_INDEXES_KEY, deferredSchema)) {
      return false;
    }
    // The lease repository's get-next names this index (INDEXED BY), and an operator may ask
    // for work while the first sync runs: it stays.
    settings.set(DEFERRED_INDEXES_KEY, exceptions.dropSecondaryIndexes(['exceptions_status_queue']));
    return true;
  });

  return {
    file,
    exceptions,
    settings,
    outbox,
    leases,
    conflicts,
    sops,
    checklists,
    evidenceFiles,
    notes,
    clientId() {
      const existing = settings.get(CLIENT_ID_KEY, z.uuid());
      if (existing) return existing;
      const id = randomUUID();
      settings.set(CLIENT_ID_KEY, id);
      return id;
    },
    transaction: (fn) => db.transaction(fn).immediate(),
    pullCursor: () => settings.get(PULL_CURSOR_KEY, cursorSchema) ?? 0,
    applyPulledPage(changes, cursor) {
      applySlice.immediate(changes, 0, cursor, Number.POSITIVE_INFINITY);
    },
    applyPulledSlice(changes, from, cursor, budgetMs) {
      return applySlice.immediate(changes, from, cursor, budgetMs);
    },
    beginInitialLoad() {
      if (!beginInitialLoadTx.immediate()) return false;
      rollbackJournal = toRollbackJournal(db);
      return true;
    },
    endInitialLoad() {
      // Closed meanwhile (quitting): the next open builds them (and opens in WAL mode).
      if (!db.open) return;
      endInitialLoadTx.immediate();
      if (rollbackJournal) toWal(db);
      rollbackJournal = false;
    },
    endInitialLoadStep() {
      if (!db.open) return false;
      if (endInitialLoadStepTx.immediate()) return true;
      if (rollbackJournal) toWal(db);
      rollbackJournal = false;
      return false;
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
