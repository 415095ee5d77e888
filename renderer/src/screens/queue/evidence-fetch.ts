import type { Evidence } from '../../../../shared/exception';
import { call } from '../../bridge';

/**
 * Evidence of items whose rows are not on this computer, fetched once from the server by the
 * desktop services (which keep it) and remembered here for the few items just looked at. Not
 * cleared when the queue changes: a status change does not change an item's evidence.
 */
const cache = new Map<string, Promise<Evidence[]>>();
const MAX = 16;

export function fetchEvidence(id: string): Promise<Evidence[]> {
  const held = cache.get(id);
  if (held) return held;
  const loading = call('exception.evidence', { id }).then((r) => r.evidence);
  // A failure (offline) is not remembered: the next open tries again.
  loading.catch(() => {
    if (cache.get(id) === loading) cache.delete(id);
  });
  cache.set(id, loading);
  if (cache.size > MAX) cache.delete(cache.keys().next().value as string);
  return loading;
}
