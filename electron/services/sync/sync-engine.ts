import { z } from 'zod';
import type { SyncStatus } from '@shared/ipc/channels';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import type { ClockSkew } from './clock-skew';
import type { EventBus } from '../bridge/event-bus';
import { ServerError } from '../session/server-client';
import type { SessionService } from '../session/session';
import { subscribeSyncEvents, type SyncEventsSubscription } from './sync-events';
import { createLeaseStep } from './sync-leases';
import { createPullStep } from './sync-pull';
import { createPushStep } from './sync-push';
import type { SyncStep } from './sync-step';
import type { LocalStore } from '../store/local-store';

const LAST_SYNC_KEY = 'sync.lastSyncAt';

export interface SyncEngine {
  status(): SyncStatus;
  /** Runs a cycle now (or joins the running one and runs one more after it). */
  syncNow(): Promise<SyncStatus>;
  /**
   * Something changed locally (an operator action): sync soon. Coalesced; while offline it waits
   * for the backoff retry (or the event stream reconnecting) instead of hammering a dead link.
   */
  nudge(): void;
  /** Emits the current status (after a local change of the counts). */
  publish(): void;
  /** Starts the cycle timer and the event stream, and syncs at once when signed in. */
  start(): void;
  /** Stops timers and the event stream and waits for a running cycle to finish. */
  stop(): Promise<void>;
}

export interface SyncEngineOptions {
  store: LocalStore;
  session: SessionService;
  events: EventBus;
  /** Time between cycles while online and idle (the event stream triggers pulls in between). */
  intervalMs?: number;
  steps?: readonly SyncStep[];
  /** Retry delays after a failed cycle and between event-stream reconnects. */
  backoff?: BackoffPolicy;
  /** Delay that coalesces a burst of local changes into one cycle. */
  nudgeDelayMs?: number;
  /** Listen to the server's event stream while online (default on). */
  serverEvents?: boolean;
  now?: () => Date;
  onError?: (err: unknown) => void;
  /** The server's clock against ours, from every answer (status bar). */
  clock?: ClockSkew;
  /** While the server answers "update required": how long before asking again (default 1 h). */
  updateRecheckMs?: number;
}

type State = SyncStatus['state'];

/** Push first (the operator's work), then pull (the server's verdict and others' changes), then leases. */
export function defaultSyncSteps(): SyncStep[] {
  return [createPushStep(), createPullStep(), createLeaseStep()];
}

/** A state machine: its states x events table is docs/sync-engine.md, each row tested in test/unit/sync-engine-states.test.ts. */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { store, session, events } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  const steps = options.steps ?? defaultSyncSteps();
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const nudgeDelayMs = options.nudgeDelayMs ?? 50;
  const serverEvents = options.serverEvents ?? true;
  const now = options.now ?? (() => new Date());
  const updateRecheckMs = options.updateRecheckMs ?? 3_600_000;

  let state: State = session.current() ? 'idle' : 'signed_out';
  let online = true;
  let lastError: string | null = null;
  let lastSyncAt: string | null = store.settings.get(LAST_SYNC_KEY, z.string()) ?? null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let started = false;
  let stopped = false;
  /** Consecutive failed cycles: the exponent of the retry backoff. */
  let failures = 0;
  let stream: SyncEventsSubscription | null = null;
  let streamEpoch = -1;
  /**
   * The server answered "update required": nothing this app sends will be served until one side
   * is updated, so automatic syncing pauses (no backoff loop, no event stream) and the outbox
   * waits untouched. "Sync now" and the hourly recheck still ask, in case the server changed.
   */
  let updateRequired = false;

  function status(): SyncStatus {
    const user = session.current()?.user.id ?? null;
    // pending/failed come from the outbox: something counts as synced only once the server has
    // acknowledged it, which is when it leaves the outbox.
    const outbox = store.outbox.counts(user);
    return {
      online,
      state: user ? state : 'signed_out',
      pending: outbox.pending,
      failed: outbox.failed + outbox.rejected,
      conflicts: store.conflicts.count(user),
      lastSyncAt,
      lastError,
      localExceptions: store.exceptions.countAll(),
      clockSkewMs: options.clock?.skewMs() ?? null,
    };
  }

  const publish = (): void => events.emit('sync.status', status());
  const setState = (next: State): void => {
    state = next;
    publish();
  };

  function schedule(delayMs: number): void {
    if (stopped || !started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!running && !stopped) void runLoop();
    }, delayMs);
    timer.unref?.();
  }

  function ensureStream(): void {
    const current = session.current();
    const epoch = session.epoch();
    if (!serverEvents || !started || stopped || !current || updateRequired) return stopStream();
    if (stream && streamEpoch === epoch) return;
    stopStream();
    streamEpoch = epoch;
    const client = session.client();
    if (!client) return;
    stream = subscribeSyncEvents({
      connect: (signal) => client.events(session, signal),
      backoff,
      onOpen: () => {
        if (session.epoch() !== epoch) return;
        // The link is back: do not wait for the backoff timer.
        if (!online || failures > 0) engine.nudge(true);
      },
      onChanged: (seq) => {
        if (session.epoch() === epoch && seq > store.pullCursor()) engine.nudge(true);
      },
      onDown: () => {
        // The stream dropping is often the first sign of an outage: let a cycle find out, so the
        // status bar turns offline without waiting for the next timer (once; then backoff rules).
        if (session.epoch() === epoch && online && failures === 0 && !stopped) engine.nudge(true);
      },
    });
  }
  function stopStream(): void {
    stream?.stop();
    stream = null;
    streamEpoch = -1;
  }

  async function cycle(): Promise<boolean> {
    const current = session.current();
    const client = session.client();
    if (!current || !client) {
      lastError = null;
      setState('signed_out');
      return true;
    }
    const epoch = session.epoch();
    const isCurrent = (): boolean => session.epoch() === epoch;
    setState('syncing');
    try {
      // Coming back from offline, a cheap unauthenticated probe avoids spending a token refresh
      // on a server that is still unreachable.
      if (!online) await client.health();
      for (const step of steps) {
        if (!isCurrent()) return true;
        await step.run({
          store,
          client,
          tokens: session,
          userId: current.user.id,
          user: current.user,
          now,
          isCurrent,
          queueChanged: () => events.emit('queue.changed', { reason: 'pulled' }),
          outboxChanged: publish,
          workChanged: (reason) => events.emit('work.changed', { reason }),
        });
      }
      if (!isCurrent()) return true;
      online = true;
      lastError = null;
      if (updateRequired) {
        updateRequired = false;
        ensureStream();
      }
      lastSyncAt = now().toISOString();
      store.settings.set(LAST_SYNC_KEY, lastSyncAt);
      setState('idle');
      return true;
    } catch (err) {
      // The session ended under us (sign-out, expiry, another sign-in): its handler already
      // set the status, and a new session gets its own cycle.
      if (!isCurrent()) return true;
      if (err instanceof ServerError) {
        lastError = err.message;
        if (err.kind === 'update_required') {
          online = true;
          updateRequired = true;
          stopStream();
          setState('update_required');
        } else if (err.isConnectivity) {
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
      return false;
    }
  }

  function runLoop(): Promise<void> {
    running ??= (async () => {
      let ok = true;
      do {
        again = false;
        ok = await cycle();
        // A failed cycle is retried by the backoff timer, not by a nudge that came meanwhile.
      } while (again && ok && !stopped);
      if (ok) failures = 0;
      else failures += 1;
      const userId = session.current()?.user.id;
      if (!userId) return;
      if (!ok && updateRequired) schedule(updateRecheckMs);
      else if (!ok) schedule(backoffDelay(failures, backoff));
      else if (store.outbox.hasDue(userId)) schedule(0);
      else schedule(intervalMs);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  session.onChange((change) => {
    if (change === 'signed_in') {
      online = true;
      updateRequired = false;
      failures = 0;
      lastError = null;
      lastSyncAt = null;
      store.settings.delete(LAST_SYNC_KEY);
      ensureStream();
      if (!stopped) void engine.syncNow();
    } else {
      stopStream();
      if (timer) clearTimeout(timer);
      timer = null;
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
      events.emit('work.changed', { reason: 'signed_out' });
    }
  });

  const engine: SyncEngine & { nudge(force?: boolean): void } = {
    status,
    publish,
    async syncNow() {
      if (running) again = true;
      await runLoop();
      // A cycle that ran before this call may have been the one joined: make sure one ran after it.
      return status();
    },
    nudge(force = false) {
      if (stopped || !started || !session.current()) return;
      if (!force && (!online || failures > 0)) return;
      if (updateRequired) return;
      if (running) {
        again = true;
        return;
      }
      schedule(nudgeDelayMs);
    },
    start() {
      stopped = false;
      started = true;
      if (session.current()) {
        ensureStream();
        void runLoop();
      } else publish();
    },
    async stop() {
      stopped = true;
      started = false;
      stopStream();
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
  return engine;
}
