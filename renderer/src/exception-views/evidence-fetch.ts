import type { Evidence } from '@shared/exception';
import { call } from '../bridge';
import { createPromiseCache } from '../lib/promise-cache';

/**
 * Evidence of items whose rows are not on this computer, fetched once from the server by the
 * desktop services (which keep it) and remembered here for the few items just looked at. Not
 * cleared when the queue changes: a status change does not change an item's evidence. A failure
 * (offline) is not remembered: the next open tries again.
 */
const evidence = createPromiseCache<Evidence[]>(16);

export function fetchEvidence(id: string): Promise<Evidence[]> {
  return evidence.get(id, async () => (await call('exception.evidence', { id })).evidence);
}
