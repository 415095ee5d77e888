import type { Evidence } from '@shared/exception';
import { BridgeFailure } from '../bridge/bridge-failure';
import { ServerError, type AccessTokenSource, type ServerClient } from '../session/server-client';
import { toBridgeFailure } from '../session/server-failure';
import type { LocalStore } from '../store/local-store';

export interface EvidenceService {
  /** The exception's evidence rows: the local copy, else the server's (kept here from then on). */
  of(exceptionId: string): Promise<Evidence[]>;
}

/**
 * Evidence is not part of the synced record (it is most of its bytes): it comes with a lease, so
 * an operator's prefetched shift has it offline, and any other item fetches it once, on open.
 */
export function createEvidenceService(deps: {
  store: LocalStore;
  client: () => ServerClient;
  tokens: AccessTokenSource;
}): EvidenceService {
  const { store } = deps;
  return {
    async of(exceptionId) {
      const local = store.exceptions.get(exceptionId);
      if (!local) throw new BridgeFailure('not_found', `Exception ${exceptionId} is not in the local queue.`);
      if (local.evidence) return local.evidence;
      let record;
      try {
        record = await deps.client().exception(exceptionId, deps.tokens);
      } catch (err) {
        if (err instanceof ServerError && err.isConnectivity) {
          throw new BridgeFailure(
            'offline',
            `The evidence of ${exceptionId} is not on this computer (only leased items are kept for offline work) and the server cannot be reached. It loads when the connection is back.`,
          );
        }
        throw toBridgeFailure(err);
      }
      if (!record) {
        throw new BridgeFailure('not_found', `The server no longer shows you exception ${exceptionId}.`);
      }
      const { evidence } = record;
      store.transaction(() => store.exceptions.setEvidence(exceptionId, evidence));
      return evidence;
    },
  };
}
