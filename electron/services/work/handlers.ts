import type { workChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';
import { ServerError } from '../session/server-client';
import { storeLeasedItems } from '../sync/sync-leases';

export function workHandlers({
  store,
  session,
  sync,
  work,
  client,
}: AppContext): HandlersOf<typeof workChannels> {
  return {
    'work.next': async ({ types }, context) => {
      const userId = context.session.user.id;
      const found = work.next(userId, types);
      if (found.item || !sync.status().online) return found;
      // Nothing in hand and the link is up: fetch a fresh prefetch before saying "no work".
      await sync.syncNow();
      const again = work.next(userId, types);
      if (again.item || !types?.length) return again;
      // Narrowed to types the prefetched shift does not hold: lease one of those directly.
      try {
        const { items } = await client().next({ count: 1, types }, session);
        storeLeasedItems(store, userId, items, Date.now());
      } catch (e) {
        if (e instanceof ServerError && e.isConnectivity) return again;
        throw e;
      }
      return work.next(userId, types);
    },
    'work.leases': async (_input, context) => work.leases(context.session.user.id),
    'work.settings': async () => work.settings(),
    'work.updateSettings': async (input) => {
      const saved = work.updateSettings(input);
      sync.nudge();
      return saved;
    },
    'exception.start': async ({ exceptionId }, context) => work.start(context.session.user.id, exceptionId),
    'exception.resolve': async ({ exceptionId, resolution }, context) =>
      work.resolve(context.session.user.id, exceptionId, resolution),
    'exception.skip': async ({ exceptionId, reason }, context) =>
      work.skip(context.session.user.id, exceptionId, reason),
  };
}
