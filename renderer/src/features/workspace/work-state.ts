import { create } from 'zustand';
import type { LocalException } from '@shared/exception';
import type { LocalLease } from '@shared/ipc/channels';
import { call, describeError } from '../../bridge';
import { useQueueView } from '../queue/queue-state';

/** The item an operator is working in the workspace, taken with get next. */
interface WorkState {
  item: { exception: LocalException; lease: LocalLease } | null;
  /** Leased items not yet finished, including the current one. */
  remaining: number | null;
  loading: boolean;
  error: string | null;
  /** What just happened, for the operator (resolved, skipped, queue empty). */
  notice: string | null;
  next(): Promise<void>;
  /** Leave the workspace (back to the queue); the item stays leased and can be taken again. */
  close(): void;
  setNotice(notice: string | null): void;
}

/** Bumped by close(): a get next still in flight when the operator leaves must not reopen an item. */
let generation = 0;

export const useWork = create<WorkState>()((set, get) => ({
  item: null,
  remaining: null,
  loading: false,
  error: null,
  notice: null,
  async next() {
    if (get().loading) return;
    const gen = generation;
    set({ loading: true, error: null });
    try {
      // The queue's type filter narrows get next too: an operator focusing on one type stays on it.
      const type = useQueueView.getState().type;
      const found = await call('work.next', type ? { types: [type] } : {});
      if (gen !== generation) {
        set({ loading: false });
        return;
      }
      if (!found.item) {
        set({
          item: null,
          remaining: found.remaining,
          loading: false,
          notice: 'No more work in your queue.',
        });
        return;
      }
      // Starting is recorded (and synced) so leads see who is on what; a repeat start records nothing.
      const started = await call('exception.start', { exceptionId: found.item.exception.id });
      if (gen !== generation) {
        set({ loading: false });
        return;
      }
      set({
        item: { exception: started.exception ?? found.item.exception, lease: found.item.lease },
        remaining: found.remaining,
        loading: false,
      });
    } catch (e) {
      set({ loading: false, error: describeError(e) });
    }
  },
  close: () => {
    generation += 1;
    set({ item: null, error: null, loading: false });
  },
  setNotice: (notice) => set({ notice }),
}));
