import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../../shared/ipc/channels';
import { BridgeFailure } from './bridge-failure';
import { createEventBus, type AnyEventListener, type EventBus } from './event-bus';
import { createRouter, type Router } from './router';
import type { SecretStore } from './secret-store';
import { createSessionService, type SessionService } from './session';
import { createSyncEngine, type SyncEngine } from './sync-engine';
import { openLocalStore, type LocalStore } from './store/local-store';

export interface AppServicesOptions {
  dataDir: string;
  secretStore: SecretStore;
  mode: 'electron' | 'browser';
  defaultServerUrl: string;
  version: string;
  /** Overrides for tests. */
  syncIntervalMs?: number;
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  validateOutput?: boolean;
}

export interface AppServices {
  readonly router: Router;
  /** Every event, by name: what the transports forward to the renderer. */
  subscribe(listener: AnyEventListener): () => void;
  readonly events: EventBus;
  start(): Promise<void>;
  close(): Promise<void>;
}

export const DATABASE_FILE = 'ledgerdesk.sqlite';

/** The composition root: one store, one session, one sync engine, one router per process. */
export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  mkdirSync(options.dataDir, { recursive: true });
  const store: LocalStore = openLocalStore(join(options.dataDir, DATABASE_FILE));
  const events = createEventBus();
  const session: SessionService = createSessionService({
    store,
    secrets: options.secretStore,
    defaultServerUrl: options.defaultServerUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
  });
  const sync: SyncEngine = createSyncEngine({
    store,
    session,
    events,
    ...(options.syncIntervalMs ? { intervalMs: options.syncIntervalMs } : {}),
    onError: (err) => console.error('[sync] unexpected failure', err),
  });

  const requireSession = (): Session => {
    const s = session.current();
    if (!s) throw new BridgeFailure('not_signed_in', 'Sign in to see the queue.');
    return s;
  };

  const router = createRouter(
    {
      'app.info': async () => ({
        version: options.version,
        mode: options.mode,
        dataDir: options.dataDir,
        defaultServerUrl: options.defaultServerUrl,
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
      'sync.status': async () => sync.status(),
      'sync.now': () => sync.syncNow(),
    },
    options.validateOutput === undefined ? {} : { validateOutput: options.validateOutput },
  );

  let closed = false;
  return {
    router,
    events,
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
