import { z } from 'zod';
import type { SyncStatus } from '../../shared/ipc/channels';
import type { EventBus } from './event-bus';
import { ServerError } from './server-client';
import type { SessionService } from './session';
import { createPullStep } from './sync-pull';
import type { SyncStep } from './sync-step';
import type { LocalStore } from './store/local-store';

const LAST_SYNC_KEY = 'sync.lastSyncAt';

export interface SyncEngine {
  status(): SyncStatus;
  /** Runs a cycle now (or joins the running one and runs one more after it). */
  syncNow(): Promise<SyncStatus>;
  /** Starts the periodic cycle and syncs at once when signed in. */
  start(): void;
  /** Stops the timer and waits for a running cycle to finish. */
  stop(): Promise<void>;
}

export interface SyncEngineOptions {
  store: LocalStore;
  session: SessionService;
  events: EventBus;
  intervalMs?: number;
  steps?: readonly SyncStep[];
  now?: () => Date;
  onError?: (err: unknown) => void;
}

type State = SyncStatus['state'];

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { store, session, events } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  const steps = options.steps ?? [createPullStep()];
  const now = options.now ?? (() => new Date());

  let state: State = session.current() ? 'idle' : 'signed_out';
  let online = true;
  let lastError: string | null = null;
  let lastSyncAt: string | null = store.settings.get(LAST_SYNC_KEY, z.string()) ?? null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  function status(): SyncStatus {
    const user = session.current()?.user.id ?? null;
    // pending/failed/conflicts come from the outbox: something counts as synced only once the
    // server has acknowledged it, which is when it leaves `pending`.
    const outbox = store.outbox.counts(user);
    return {
      online,
      state: user ? state : 'signed_out',
      pending: outbox.pending,
      failed: outbox.failed,
      conflicts: outbox.rejected,
      lastSyncAt,
      lastError,
      localExceptions: store.exceptions.countAll(),
    };
  }

  const publish = (): void => events.emit('sync.status', status());
  const setState = (next: State): void => {
    state = next;
    publish();
  };

  async function cycle(): Promise<void> {
    const current = session.current();
    const client = session.client();
    if (!current || !client) {
      lastError = null;
      setState('signed_out');
      return;
    }
    const epoch = session.epoch();
    const isCurrent = (): boolean => session.epoch() === epoch;
    setState('syncing');
    try {
      // Coming back from offline, a cheap unauthenticated probe avoids spending a token refresh
      // on a server that is still unreachable.
      if (!online) await client.health();
      for (const step of steps) {
        if (!isCurrent()) return;
        await step.run({
          store,
          client,
          tokens: session,
          userId: current.user.id,
          now,
          isCurrent,
          queueChanged: () => events.emit('queue.changed', { reason: 'pulled' }),
        });
      }
      if (!isCurrent()) return;
      online = true;
      lastError = null;
      lastSyncAt = now().toISOString();
      store.settings.set(LAST_SYNC_KEY, lastSyncAt);
      setState('idle');
    } catch (err) {
      // The session ended under us (sign-out, expiry, another sign-in): its handler already
      // set the status, and a new session gets its own cycle.
      if (!isCurrent()) return;
      if (err instanceof ServerError) {
        lastError = err.message;
        if (err.isConnectivity) {
          online = false;
          setState('offline');
        } else {
          online = true;
          setState('error');
        }
      } else {
        options.onError?.(err);
        lastError = 'Sync failed unexpectedly; it will retry.';
        setState('error');
      }
    }
  }

  function runLoop(): Promise<void> {
    running ??= (async () => {
      do {
        again = false;
        await cycle();
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  session.onChange((change) => {
    if (change === 'signed_in') {
      online = true;
      lastError = null;
      lastSyncAt = null;
      store.settings.delete(LAST_SYNC_KEY);
      if (!stopped) void engine.syncNow();
    } else {
      if (change === 'signed_out') {
        lastError = null;
        store.settings.delete(LAST_SYNC_KEY);
        lastSyncAt = null;
      } else {
        lastError = 'Your session has expired; sign in again.';
      }
      state = 'signed_out';
      publish();
      events.emit('queue.changed', { reason: 'signed_out' });
    }
  });

  const engine: SyncEngine = {
    status,
    async syncNow() {
      if (running) again = true;
      await runLoop();
      return status();
    },
    start() {
      stopped = false;
      if (!timer) {
        timer = setInterval(() => {
          // A tick never queues behind a running cycle; the next tick will come.
          if (!running && !stopped) void runLoop();
        }, intervalMs);
        timer.unref?.();
      }
      if (session.current()) void runLoop();
      else publish();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
  return engine;
}
