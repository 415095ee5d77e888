import type { ExceptionRecord } from '../../../../shared/exception';
import { call, subscribe } from '../../bridge';

/**
 * The record of the row the operator is on, fetched while they look at it, so Enter opens the
 * item without waiting for the bridge. A few entries only, all dropped whenever the local store
 * changes (a pull landed, a local action), so what opens is never older than the store.
 */
const cache = new Map<string, Promise<ExceptionRecord>>();
/** The entries of `cache` that have arrived, so the drawer's first render can show them. */
const arrived = new Map<string, ExceptionRecord>();
const MAX = 8;
let watching = false;

export function prefetchRecord(id: string): Promise<ExceptionRecord> {
  if (!watching) {
    watching = true;
    subscribe('queue.changed', () => {
      cache.clear();
      arrived.clear();
    });
  }
  const held = cache.get(id);
  if (held) return held;
  const loading = call('exception.get', { id });
  loading.then(
    (record) => {
      if (cache.get(id) === loading) arrived.set(id, record);
    },
    () => {
      if (cache.get(id) === loading) cache.delete(id);
    },
  );
  cache.set(id, loading);
  if (cache.size > MAX) forgetRecord(cache.keys().next().value as string);
  return loading;
}

/** The record if it has already arrived (no render waits on a resolved promise). */
export function arrivedRecord(id: string): ExceptionRecord | undefined {
  return arrived.get(id);
}

/** Forget a record (after an action changed it). */
export function forgetRecord(id: string): void {
  cache.delete(id);
  arrived.delete(id);
}
