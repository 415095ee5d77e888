import { create } from 'zustand';
import type { QueueCounts, QueueSort } from '@shared/ipc/channels';
import type { Channel, ExceptionType } from '@shared/exception-types';
import type { ExceptionStatus } from '@shared/exception-status';

/** A dashboard figure drilled into: the queue shows only the items behind it until cleared. */
export interface QueueDrill {
  label: string;
  ids: string[];
  /** Items behind the figure on the server; more than `ids` when the figure holds over 1,000. */
  total: number;
}

/** What the queue grid shows: filters and sort. The rows themselves live in the grid's cache. */
interface QueueViewState {
  statuses: ExceptionStatus[];
  type: ExceptionType | null;
  channel: Channel | null;
  search: string;
  sort: QueueSort;
  /** The sort backwards (its column header clicked again). */
  reverse: boolean;
  /** Leads only: the holders to show (user ids); empty shows everyone's items. */
  assignees: string[];
  /** Rows matching the current filter, as the last page reported. */
  total: number | null;
  counts: QueueCounts | null;
  /** Bumped when the local store changed, so the grid and the counts re-read. */
  revision: number;
  openId: string | null;
  drill: QueueDrill | null;
  toggleStatus(status: ExceptionStatus, additive: boolean): void;
  clearStatuses(): void;
  setType(type: ExceptionType | null): void;
  setChannel(channel: Channel | null): void;
  setSearch(search: string): void;
  /** A sort, forwards unless `reverse` (the Sort select always picks forwards). */
  setSort(sort: QueueSort, reverse?: boolean): void;
  setAssignees(assignees: string[]): void;
  setTotal(total: number | null): void;
  setCounts(counts: QueueCounts | null): void;
  bumpRevision(): void;
  open(id: string | null): void;
  /** Shows a figure's items with every other filter cleared (they would hide some of them). */
  setDrill(drill: QueueDrill | null): void;
  reset(): void;
}

const initial = {
  statuses: [] as ExceptionStatus[],
  type: null,
  channel: null,
  search: '',
  sort: 'priority_sla' as QueueSort,
  reverse: false,
  assignees: [] as string[],
  total: null,
  counts: null,
  revision: 0,
  openId: null,
  drill: null as QueueDrill | null,
};

export const useQueueView = create<QueueViewState>()((set) => ({
  ...initial,
  toggleStatus(status, additive) {
    set((s) => {
      const has = s.statuses.includes(status);
      if (additive)
        return { statuses: has ? s.statuses.filter((x) => x !== status) : [...s.statuses, status] };
      return { statuses: has && s.statuses.length === 1 ? [] : [status] };
    });
  },
  clearStatuses: () => set({ statuses: [] }),
  setType: (type) => set({ type }),
  setChannel: (channel) => set({ channel }),
  setSearch: (search) => set({ search }),
  setSort: (sort, reverse = false) => set({ sort, reverse }),
  setAssignees: (assignees) => set({ assignees }),
  setTotal: (total) => set({ total }),
  setCounts: (counts) => set({ counts }),
  bumpRevision: () => set((s) => ({ revision: s.revision + 1 })),
  open: (openId) => set({ openId }),
  setDrill: (drill) =>
    set(drill ? { drill, statuses: [], type: null, channel: null, search: '', assignees: [] } : { drill }),
  reset: () => set(initial),
}));
