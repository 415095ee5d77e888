import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BackoffPolicy } from './sync/backoff';
import { BridgeFailure } from './bridge/bridge-failure';
import { createClockSkew } from './sync/clock-skew';
import { createEventBus, type AnyEventListener, type EventBus } from './bridge/event-bus';
import { createRouter, type Router } from './bridge/router';
import type { AppContext } from './app-context';
import { sessionHandlers } from './session/handlers';
import { queueHandlers } from './queue/handlers';
import { syncHandlers } from './sync/handlers';
import { workHandlers } from './work/handlers';
import { notesHandlers } from './notes/handlers';
import { checklistHandlers } from './checklist/handlers';
import { evidenceHandlers } from './evidence/handlers';
import { approvalsHandlers } from './approvals/handlers';
import { kpisHandlers } from './kpis/handlers';
import { createKpiClient } from './kpis/kpi-client';
import { qaHandlers } from './qa/handlers';
import { teamHandlers } from './team/handlers';
import { reconHandlers } from './recon/handlers';
import type { SecretStore } from './session/secret-store';
import { createSessionService, type SessionService } from './session/session';
import { createSyncEngine, type SyncEngine } from './sync/sync-engine';
import { createLeaseStep, type LeaseStepOptions } from './sync/sync-leases';
import { createPullStep, type PullStepOptions } from './sync/sync-pull';
import { createPushStep, type PushStepOptions } from './sync/sync-push';
import type { LocalStore } from './store/local-store';
import { openLocalStoreWithRecovery, type StoreRecovery } from './store/recovery';
import { createWorkService, type WorkService } from './work/work-service';
import { createChecklistService } from './checklist/checklist-service';
import { sopsHandlers } from './sops/handlers';
import { peopleHandlers } from './people/handlers';
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

  /** The signed-in user's server client, for services that reach the server. */
  const online = () => {
    if (!session.current()) throw new BridgeFailure('not_signed_in', 'Sign in to see the queue.');
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

  const context: AppContext = {
    info: {
      version: options.version,
      mode: options.mode,
      dataDir: options.dataDir,
      defaultServerUrl: options.defaultServerUrl,
    },
    recovery: opened.recovery,
    store,
    session,
    sync,
    work,
    checklists,
    team,
    evidence,
    notes,
    evidenceFiles,
    kpis: createKpiClient({
      baseUrl: () => online().baseUrl,
      tokens: session,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    client: online,
  };
  // Each feature declares its channels (shared/ipc/*-channels.ts) and answers them here; the
  // router checks each channel's access before its handler runs.
  const router = createRouter(
    {
      ...sessionHandlers(context),
      ...queueHandlers(context),
      ...syncHandlers(context),
      ...workHandlers(context),
      ...notesHandlers(context),
      ...checklistHandlers(context),
      ...evidenceHandlers(context),
      ...approvalsHandlers(context),
      ...teamHandlers(context),
      ...kpisHandlers(context),
      ...sopsHandlers(context),
      ...peopleHandlers(context),
      ...qaHandlers(context),
      ...reconHandlers(context),
    },
    {
      access: { session: () => session.current(), online: () => session.client() !== null },
      ...(options.validateOutput === undefined ? {} : { validateOutput: options.validateOutput }),
    },
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
