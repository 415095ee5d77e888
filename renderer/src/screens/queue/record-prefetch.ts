import type { LocalException } from '../../../../shared/exception';
import { call, subscribe } from '../../bridge';
import { fetchEvidence } from './evidence-fetch';

/**
 * The record of the row the operator is on, fetched while they look at it, so Enter opens the
 * item without waiting for the bridge. A few entries only, all dropped whenever the local store
 * changes (a pull landed, a local action), so what opens is never older than the store.
 */
interface Entry {
  loading: Promise<LocalException>;
  /** Set once it has arrived, so the drawer's first render can show it. */
  record?: LocalException;
}

const cache = new Map<string, Entry>();
const MAX = 8;
let watching = false;

export function prefetchRecord(id: string): Promise<LocalException> {
  if (!watching) {
    watching = true;
    subscribe('queue.changed', () => cache.clear());
  }
  const held = cache.get(id);
  if (held) return held.loading;
  const entry: Entry = { loading: call('exception.get', { id }) };
  entry.loading.then(
    (record) => {
      entry.record = record;
      // Not kept here (never leased to this operator): ask for it now, before Enter.
      if (record.evidence === null) fetchEvidence(id).catch(() => undefined);
    },
    () => {
      if (cache.get(id) === entry) cache.delete(id);
    },
  );
  cache.set(id, entry);
  if (cache.size > MAX) cache.delete(cache.keys().next().value as string);
  return entry.loading;
}

/** The record if it has already arrived (no render waits on a resolved promise). */
export function arrivedRecord(id: string): LocalException | undefined {
  return cache.get(id)?.record;
}

/** Forget a record (after an action changed it). */
export function forgetRecord(id: string): void {
  cache.delete(id);
}
