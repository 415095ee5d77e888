import type { ExceptionRecord } from '../../../../shared/exception';
import { call, subscribe } from '../../bridge';

/**
 * The record of the row the operator is on, fetched while they look at it, so Enter opens the
 * item without waiting for the bridge. A few entries only, all dropped whenever the local store
 * changes (a pull landed, a local action), so what opens is never older than the store.
 */
const cache = new Map<string, Promise<ExceptionRecord>>();
const MAX = 8;
let watching = false;

export function prefetchRecord(id: string): Promise<ExceptionRecord> {
  if (!watching) {
    watching = true;
    subscribe('queue.changed', () => cache.clear());
  }
  const held = cache.get(id);
  if (held) return held;
  const loading = call('exception.get', { id });
  loading.catch(() => cache.delete(id));
  cache.set(id, loading);
  if (cache.size > MAX) cache.delete(cache.keys().next().value as string);
  return loading;
}

/** Forget a record (after an action changed it). */
export function forgetRecord(id: string): void {
  cache.delete(id);
}
