import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '@shared/ipc/channels';
import type { BackoffPolicy } from './sync/backoff';
import { BridgeFailure } from './bridge/bridge-failure';
import { createClockSkew } from './sync/clock-skew';
import { createEventBus, type AnyEventListener, type EventBus } from './bridge/event-bus';
import { createRouter, type Router } from './bridge/router';
import type { SecretStore } from './session/secret-store';
import { createSessionService, type SessionService } from './session/session';
import { createSyncEngine, type SyncEngine } from './sync/sync-engine';
import { createLeaseStep, storeLeasedItems, type LeaseStepOptions } from './sync/sync-leases';
import { ServerError } from './session/server-client';
import { createPullStep, type PullStepOptions } from './sync/sync-pull';
import { createPushStep, type PushStepOptions } from './sync/sync-push';
import type { LocalStore } from './store/local-store';
import { openLocalStoreWithRecovery, type StoreRecovery } from './store/recovery';
import type { ConflictRow } from './store/conflict-repo';
import type { OutboxEntry } from './store/outbox-repo';
import { createWorkService, type WorkService } from './work/work-service';
import { createChecklistService } from './checklist/checklist-service';
import { createSopStep } from './sync/sync-sops';
import { createTeamService } from './team/team-service';
import { createEvidenceService } from './evidence/evidence-service';
import { createNoteService } from './notes/note-service';
import { createEvidenceFileService, uploadEvidenceFor } from './evidence/evidence-file-service';

export interface AppServicesOptions {
  dataDir: string;
  secretStore: SecretStore;
  mode: 'electron' | 'browser';
  defaultServerUrl: string;
  version: string;
  /** Overrides for tests and benches. */
  syncIntervalMs?: number;
  backoff?: BackoffPolicy;
  serverEvents?: boolean;
  push?: PushStepOptions;
  pull?: PullStepOptions;
  leases?: LeaseStepOptions;
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  /** This computer's clock (tests set it wrong on purpose). */
  now?: () => Date;
  validateOutput?: boolean;
}

export interface AppServices {
  readonly router: Router;
  /** Every event, by name: what the transports forward to the renderer. */
  subscribe(listener: AnyEventListener): () => void;
  readonly events: EventBus;
  /** The parts behind the router, for tests, benches and fixtures that drive them directly. */
  readonly store: LocalStore;
  readonly sync: SyncEngine;
  readonly work: WorkService;
  /** Set when start-up replaced a damaged local database (see store/recovery.ts). */
  readonly storeRecovery: StoreRecovery | null;
  start(): Promise<void>;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'ledgerdesk.sqlite';

/** The composition root: one store, one session, one sync engine, one router per process. */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  mkdirSync(options.dataDir, { recursive: true });
  // A newer app's file (StoreTooNewError) is thrown to the host, which tells the operator and quits.
  const opened = openLocalStoreWithRecovery(join(options.dataDir, DATABASE_FILE), options.now);
  const store: LocalStore = opened.store;
  if (opened.recovery) console.warn(`[store] ${opened.recovery.message} (${opened.recovery.reason})`);
  const events = createEventBus();
  // Publishes through `sync`, made below; the first answer only arrives after start().
  const clock = createClockSkew({
    ...(options.now ? { now: options.now } : {}),
    onChange: () => sync.publish(),
  });
  const session: SessionService = createSessionService({
    store,
    secrets: options.secretStore,
    defaultServerUrl: options.defaultServerUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    onServerTime: (serverMs) => clock.observe(serverMs),
  });
  const sync: SyncEngine = createSyncEngine({
    store,
    session,
    events,
    ...(options.syncIntervalMs ? { intervalMs: options.syncIntervalMs } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.serverEvents === undefined ? {} : { serverEvents: options.serverEvents }),
    steps: [
      // Files first: the server refuses a result naming a file it was not given.
      createPushStep({ ...options.push, beforeSend: uploadEvidenceFor }),
      createSopStep(),
      createPullStep(options.pull),
      createLeaseStep(options.leases),
    ],
    onError: (err) => console.error('[sync] unexpected failure', err),
    clock,
    ...(options.now ? { now: options.now } : {}),
  });
  const checklists = createChecklistService(store);
  const work: WorkService = createWorkService({
    store,
    checklists,
    onLocalChange: () => {
      events.emit('queue.changed', { reason: 'local_change' });
      events.emit('work.changed', { reason: 'local_change' });
      sync.publish();
      sync.nudge();
    },
  });

  const requireSession = (): Session => {
    const s = session.current();
    if (!s) throw new BridgeFailure('not_signed_in', 'Sign in to see the queue.');
    return s;
  };

  /** Lead features that need the server now (approvals are decided online, never queued). */
  const online = () => {
    requireSession();
    const client = session.client();
    if (!client) throw new BridgeFailure('not_signed_in', 'Sign in first.');
    return client;
  };

  const team = createTeamService({
    client: online,
    tokens: session,
    // The server waited for its sequencer before answering, so a pull now sees every change.
    onChanged: () => sync.nudge(),
  });

  const evidence = createEvidenceService({ store, client: online, tokens: session });
  const notes = createNoteService({ store, client: online, tokens: session });
  const evidenceFiles = createEvidenceFileService({ store, client: online, tokens: session });

  const isoTime = (ms: number): string => new Date(ms).toISOString();
  const outboxItem = (e: OutboxEntry) => ({
    seq: e.seq,
    mutationId: e.mutationId,
    kind: e.kind,
    exceptionId: e.exceptionId,
    state: e.state === 'applied' ? ('pending' as const) : e.state,
    attempts: e.attempts,
    lastError: e.lastError,
    createdAt: isoTime(e.createdAt),
    updatedAt: isoTime(e.updatedAt),
  });
  const conflictItem = (c: ConflictRow) => ({
    mutationId: c.mutationId,
    exceptionId: c.exceptionId,
    kind: c.kind,
    reason: c.reason,
    body: c.body,
    occurredAt: isoTime(c.occurredAt),
    at: isoTime(c.at),
  });

  const router = createRouter(
    {
      'app.info': async () => ({
        version: options.version,
        mode: options.mode,
        dataDir: options.dataDir,
        defaultServerUrl: options.defaultServerUrl,
        storeRecovery: opened.recovery
          ? {
              movedTo: opened.recovery.movedTo,
              outbox: opened.recovery.outbox,
              drafts: opened.recovery.drafts,
              message: opened.recovery.message,
            }
          : null,
      }),
      'session.current': async () => session.current(),
      'session.signIn': (input) => session.signIn(input),
      'session.signOut': async () => {
        await session.signOut();
        return { signedOut: true as const };
      },
      'queue.list': async (input) => {
        requireSession();
        return store.exceptions.page(input);
      },
      'queue.counts': async (input) => {
        requireSession();
        return store.exceptions.counts(input);
      },
      'exception.get': async ({ id }) => {
        requireSession();
        const record = store.exceptions.get(id);
        if (!record) throw new BridgeFailure('not_found', `Exception ${id} is not in the local queue.`);
        return record;
      },
      'exception.evidence': async ({ id }) => {
        requireSession();
        return { evidence: await evidence.of(id) };
      },
      'sync.status': async () => sync.status(),
      'sync.now': () => sync.syncNow(),
      'sync.outbox': async ({ offset, limit }) => {
        const { items, total } = store.outbox.list(requireSession().user.id, offset, limit);
        return { items: items.map(outboxItem), total };
      },
      'sync.conflicts': async ({ offset, limit }) => {
        const { items, total } = store.conflicts.list(requireSession().user.id, offset, limit);
        return { items: items.map(conflictItem), total };
      },
      'sync.retryFailed': async () => {
        const retried = store.outbox.retryFailed(requireSession().user.id, Date.now());
        if (retried > 0) {
          sync.publish();
          sync.nudge();
        }
        return { retried };
      },
      'work.next': async ({ types }) => {
        const userId = requireSession().user.id;
        const found = work.next(userId, types);
        if (found.item || !sync.status().online) return found;
        // Nothing in hand and the link is up: fetch a fresh prefetch before saying "no work".
        await sync.syncNow();
        const again = work.next(userId, types);
        if (again.item || !types?.length) return again;
        // Narrowed to types the prefetched shift does not hold: lease one of those directly.
        try {
          const { items } = await online().next({ count: 1, types }, session);
          storeLeasedItems(store, userId, items, Date.now());
        } catch (e) {
          if (e instanceof ServerError && e.isConnectivity) return again;
          throw e;
        }
        return work.next(userId, types);
      },
      'work.leases': async () => work.leases(requireSession().user.id),
      'work.settings': async () => work.settings(),
      'work.updateSettings': async (input) => {
        const saved = work.updateSettings(input);
        sync.nudge();
        return saved;
      },
      'exception.start': async ({ exceptionId }) => work.start(requireSession().user.id, exceptionId),
      'exception.resolve': async ({ exceptionId, resolution }) =>
        work.resolve(requireSession().user.id, exceptionId, resolution),
      'exception.skip': async ({ exceptionId, reason }) =>
        work.skip(requireSession().user.id, exceptionId, reason),
      'exception.related': async ({ exceptionId, limit }) => {
        requireSession();
        return { rows: store.exceptions.related(exceptionId, limit) };
      },
      'exception.notes': async ({ exceptionId }) => {
        requireSession();
        return notes.thread(exceptionId);
      },
      'exception.addNote': async ({ exceptionId, text }) =>
        work.addNote(requireSession().user, exceptionId, text),
      'checklist.get': async ({ exceptionId }) => checklists.view(requireSession().user.id, exceptionId),
      'checklist.save': async (input) => checklists.save(requireSession().user.id, input),
      'evidence.attach': async (input) => {
        requireSession();
        return evidenceFiles.attach(input);
      },
      'evidence.read': async ({ sha256 }) => {
        requireSession();
        return evidenceFiles.read(sha256);
      },
      'approvals.list': async ({ state }) => online().approvals(state, session),
      'approvals.decide': async ({ id, ...decision }) => ({
        approval: await online().decideApproval(id, decision, session),
      }),
      'exception.history': ({ id, limit }) => team.history(id, limit),
      'team.operators': async () => ({ operators: await team.operators() }),
      'team.reassign': (input) => team.reassign(input),
      'team.release': (input) => team.release(input),
    },
    options.validateOutput === undefined ? {} : { validateOutput: options.validateOutput },
  );

  let closed = false;
  return {
    router,
    events,
    store,
    sync,
    work,
    storeRecovery: opened.recovery,
    subscribe: (listener) => events.subscribe(listener),
    async start() {
      // Nothing is in flight at start-up: an outbox entry marked sending was never acknowledged.
      store.outbox.resetInFlight(Date.now());
      sync.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await sync.stop();
      store.close();
    },
  };
}
