import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '@shared/ipc/channels';
import { createEventBus } from '../../electron/services/bridge/event-bus';
import type { ServerClient } from '../../electron/services/session/server-client';
import { ServerError, type ServerErrorKind } from '../../electron/services/session/server-errors';
import type { SessionChange, SessionService } from '../../electron/services/session/session';
import { createSyncEngine, type SyncEngine } from '../../electron/services/sync/sync-engine';
import type { SyncStep } from '../../electron/services/sync/sync-step';
import { openLocalStore, type LocalStore } from '../../electron/services/store/local-store';
import { tempDir } from '../support/temp-dir';

/*
 * Each transition of docs/sync-engine.md, on fake timers: a real local store, a session that
 * signs in and out on command, and one scripted step that succeeds or throws what the test says.
 */
const INTERVAL = 30_000;
const NUDGE = 50;
const BACKOFF = 1_000; // Math.random is pinned, so every backoff wait is BACKOFF - 1 ms
const RECHECK = 3_600_000;

const tmp = tempDir('sync-states');
let fileNo = 0;

interface Harness {
  engine: SyncEngine & { nudge(force?: boolean): void };
  store: LocalStore;
  states: SyncStatus['state'][];
  runs: () => number;
  health: () => number;
  /** What the next cycles' step does: null succeeds, an error is thrown. */
  script: (Error | null)[];
  session(change: SessionChange): void;
  onError: ReturnType<typeof vi.fn>;
}

function harness(signedIn: boolean): Harness {
  const store = openLocalStore(tmp.path(`store-${(fileNo += 1)}.sqlite`));
  const events = createEventBus();
  let user = signedIn
    ? { user: { id: 'op1', username: 'op1', displayName: 'Op', roles: ['operator'] } }
    : null;
  let epoch = 1;
  let runs = 0;
  let health = 0;
  const listeners = new Set<(c: SessionChange) => void>();
  const client = { health: async () => void (health += 1) } as unknown as ServerClient;
  const session = {
    current: () => user,
    client: () => (user ? client : null),
    epoch: () => epoch,
    onChange: (l: (c: SessionChange) => void) => (listeners.add(l), () => listeners.delete(l)),
  } as unknown as SessionService;
  const script: (Error | null)[] = [];
  const step: SyncStep = {
    name: 'scripted',
    run: async () => {
      runs += 1;
      const next = script.shift();
      if (next) throw next;
    },
  };
  const onError = vi.fn();
  const engine = createSyncEngine({
    store,
    session,
    events,
    steps: [step],
    serverEvents: false,
    intervalMs: INTERVAL,
    nudgeDelayMs: NUDGE,
    backoff: { baseMs: BACKOFF, capMs: BACKOFF },
    updateRecheckMs: RECHECK,
    onError,
  }) as Harness['engine'];
  const states: SyncStatus['state'][] = [];
  events.on('sync.status', (s) => states.push(s.state));
  return {
    engine,
    store,
    states,
    runs: () => runs,
    health: () => health,
    script,
    onError,
    session(change) {
      epoch += 1;
      user =
        change === 'signed_in'
          ? { user: { id: 'op1', username: 'op1', displayName: 'Op', roles: ['operator'] } }
          : null;
      for (const l of listeners) l(change);
    },
  };
}

const fail = (kind: ServerErrorKind): ServerError => new ServerError(kind, `scripted ${kind}`);
const settle = (): Promise<void> => vi.advanceTimersByTimeAsync(0).then(() => undefined);

describe('sync engine states (docs/sync-engine.md)', () => {
  let h: Harness;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.9999);
  });
  afterEach(async () => {
    await h?.engine.stop();
    h?.store.close();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('signed_out + start: stays signed out and runs nothing', async () => {
    h = harness(false);
    h.engine.start();
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    expect(h.runs()).toBe(0);
    expect(h.engine.status().state).toBe('signed_out');
  });

  it('signed_out + signed_in: syncs at once, then idle', async () => {
    h = harness(false);
    h.engine.start();
    h.session('signed_in');
    await settle();
    expect(h.runs()).toBe(1);
    expect(h.states.slice(-2)).toEqual(['syncing', 'idle']);
    expect(h.engine.status().lastSyncAt).not.toBeNull();
  });

  it('idle + interval: the next cycle comes intervalMs after the last, not before', async () => {
    h = harness(true);
    h.engine.start();
    await settle();
    expect(h.runs()).toBe(1);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(h.runs()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.runs()).toBe(2);
    expect(h.engine.status().state).toBe('idle');
  });

  it('idle + nudge: one cycle after nudgeDelayMs for a burst of nudges', async () => {
    h = harness(true);
    h.engine.start();
    await settle();
    h.engine.nudge();
    h.engine.nudge();
    h.engine.nudge();
    await vi.advanceTimersByTimeAsync(NUDGE - 1);
    expect(h.runs()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.runs()).toBe(2);
  });

  it('syncing + nudge meanwhile: one more cycle right after', async () => {
    h = harness(true);
    h.engine.start(); // the first cycle is running now
    h.engine.nudge();
    await settle();
    expect(h.runs()).toBe(2);
    expect(h.engine.status().state).toBe('idle');
  });

  it('syncing + connectivity error: offline, nudges ignored, retried after backoff with a probe', async () => {
    h = harness(true);
    h.script.push(fail('offline'));
    h.engine.start();
    await settle();
    expect(h.engine.status()).toMatchObject({
      state: 'offline',
      online: false,
      lastError: 'scripted offline',
    });
    h.engine.nudge();
    await vi.advanceTimersByTimeAsync(BACKOFF - 2);
    expect(h.runs()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.runs()).toBe(2);
    expect(h.health()).toBe(1);
    expect(h.engine.status()).toMatchObject({ state: 'idle', online: true, lastError: null });
  });

  it('offline + forced nudge (the event stream reopened): syncs without waiting for the backoff', async () => {
    h = harness(true);
    h.script.push(fail('timeout'));
    h.engine.start();
    await settle();
    expect(h.engine.status().state).toBe('offline');
    h.engine.nudge(true);
    await vi.advanceTimersByTimeAsync(NUDGE);
    expect(h.runs()).toBe(2);
    expect(h.engine.status().state).toBe('idle');
  });

  it.each(['server', 'rejected', 'unauthorized'] as const)(
    'syncing + %s error: error, retried after backoff',
    async (kind) => {
      h = harness(true);
      h.script.push(fail(kind));
      h.engine.start();
      await settle();
      expect(h.engine.status()).toMatchObject({ state: 'error', online: true });
      await vi.advanceTimersByTimeAsync(BACKOFF - 1);
      expect(h.runs()).toBe(2);
      expect(h.engine.status().state).toBe('idle');
    },
  );

  it('syncing + unexpected error: error, onError told, retried after backoff', async () => {
    h = harness(true);
    h.script.push(new TypeError('a bug'));
    h.engine.start();
    await settle();
    expect(h.engine.status()).toMatchObject({
      state: 'error',
      lastError: 'Sync failed unexpectedly; it will retry.',
    });
    expect(h.onError).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(BACKOFF - 1);
    expect(h.engine.status().state).toBe('idle');
  });

  it('syncing + update_required: no retry loop, nudges ignored, recheck after updateRecheckMs', async () => {
    h = harness(true);
    h.script.push(fail('update_required'));
    h.engine.start();
    await settle();
    expect(h.engine.status().state).toBe('update_required');
    h.engine.nudge();
    await vi.advanceTimersByTimeAsync(RECHECK - 1);
    expect(h.runs()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.runs()).toBe(2);
    expect(h.engine.status().state).toBe('idle');
  });

  it('update_required + syncNow that succeeds: idle', async () => {
    h = harness(true);
    h.script.push(fail('update_required'));
    h.engine.start();
    await settle();
    const status = h.engine.syncNow();
    await settle();
    expect((await status).state).toBe('idle');
  });

  it.each(['signed_out', 'expired'] as const)(
    'any + session %s: signed_out, timers stopped',
    async (change) => {
      h = harness(true);
      h.engine.start();
      await settle();
      h.session(change);
      expect(h.engine.status()).toMatchObject({
        state: 'signed_out',
        // Sign-out forgets the last sync; an expiry keeps it (the same person signs in again).
        ...(change === 'signed_out' ? { lastSyncAt: null } : {}),
        lastError: change === 'expired' ? 'Your session has expired; sign in again.' : null,
      });
      await vi.advanceTimersByTimeAsync(INTERVAL * 2);
      expect(h.runs()).toBe(1);
    },
  );

  it('any + stop: no cycle afterwards', async () => {
    h = harness(true);
    h.engine.start();
    await settle();
    await h.engine.stop();
    h.engine.nudge();
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    expect(h.runs()).toBe(1);
  });
});
