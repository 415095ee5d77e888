import { create } from 'zustand';
import type { SyncStatus } from '@shared/ipc/channels';
import { call, describeError, onTransportChange, subscribe, type ConnectionState } from '../bridge';

interface SyncState {
  status: SyncStatus | null;
  transport: ConnectionState;
  syncing: boolean;
  error: string | null;
  /** Subscribe to `sync.status` and read the current figure; returns the unsubscribe. */
  start(): () => void;
  refresh(): Promise<void>;
  syncNow(): Promise<void>;
}

const FALLBACK_POLL_MS = 30_000;

export const useSync = create<SyncState>()((set, get) => ({
  status: null,
  transport: 'connecting',
  syncing: false,
  error: null,

  start() {
    const offEvent = subscribe('sync.status', (status) => set({ status, error: null }));
    const offTransport = onTransportChange((transport) => {
      set({ transport });
      // Events may have been missed while the socket was down: read the current state again.
      if (transport === 'open') void get().refresh();
    });
    void get().refresh();
    const timer = setInterval(() => void get().refresh(), FALLBACK_POLL_MS);
    return () => {
      offEvent();
      offTransport();
      clearInterval(timer);
    };
  },

  async refresh() {
    try {
      set({ status: await call('sync.status', {}), error: null });
    } catch (e) {
      set({ error: describeError(e) });
    }
  },

  async syncNow() {
    if (get().syncing) return;
    set({ syncing: true });
    try {
      set({ status: await call('sync.now', {}), error: null });
    } catch (e) {
      set({ error: describeError(e) });
    } finally {
      set({ syncing: false });
    }
  },
}));
