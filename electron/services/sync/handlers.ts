import type { syncChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';
import type { ConflictRow } from '../store/conflict-repo';
import type { OutboxEntry } from '../store/outbox-repo';

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

export function syncHandlers({ store, sync }: AppContext): HandlersOf<typeof syncChannels> {
  return {
    'sync.status': async () => sync.status(),
    'sync.now': () => sync.syncNow(),
    'sync.outbox': async ({ offset, limit }, { session }) => {
      const { items, total } = store.outbox.list(session.user.id, offset, limit);
      return { items: items.map(outboxItem), total };
    },
    'sync.conflicts': async ({ offset, limit }, { session }) => {
      const { items, total } = store.conflicts.list(session.user.id, offset, limit);
      return { items: items.map(conflictItem), total };
    },
    'sync.retryFailed': async (_input, { session }) => {
      const retried = store.outbox.retryFailed(session.user.id, Date.now());
      if (retried > 0) {
        sync.publish();
        sync.nudge();
      }
      return { retried };
    },
  };
}
