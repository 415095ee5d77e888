import type { exceptionChannels, queueChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import { BridgeFailure } from '../bridge/bridge-failure';
import type { HandlersOf } from '../bridge/handler-types';

/** The queue and the record views: reads of the local store. */
export function queueHandlers({
  store,
  evidence,
}: AppContext): HandlersOf<typeof queueChannels & typeof exceptionChannels> {
  return {
    'queue.list': async (input) => store.exceptions.page(input),
    'queue.counts': async (input) => store.exceptions.counts(input),
    'exception.get': async ({ id }) => {
      const record = store.exceptions.get(id);
      if (!record) throw new BridgeFailure('not_found', `Exception ${id} is not in the local queue.`);
      return record;
    },
    'exception.evidence': async ({ id }) => ({ evidence: await evidence.of(id) }),
    'exception.related': async ({ exceptionId, limit }) => ({
      rows: store.exceptions.related(exceptionId, limit),
    }),
  };
}
