import type { LocalException } from '@shared/exception';
import { call, subscribe } from '../bridge';
import { createPromiseCache } from '../lib/promise-cache';
import { fetchEvidence } from './evidence-fetch';

/**
 * The record of the row the operator is on, fetched while they look at it, so Enter opens the
 * item without waiting for the bridge. A few entries only, all dropped whenever the local store
 * changes (a pull landed, a local action), so what opens is never older than the store.
 */
const records = createPromiseCache<LocalException>(8);
let watching = false;

export function prefetchRecord(id: string): Promise<LocalException> {
  if (!watching) {
    watching = true;
    subscribe('queue.changed', () => records.clear());
  }
  return records.get(id, async () => {
    const record = await call('exception.get', { id });
    // Not kept here (never leased to this operator): ask for it now, before Enter.
    if (record.evidence === null) fetchEvidence(id).catch(() => undefined);
    return record;
  });
}

/** The record if it has already arrived (no render waits on a resolved promise). */
export function arrivedRecord(id: string): LocalException | undefined {
  return records.arrived(id);
}

/** Forget a record (after an action changed it). */
export function forgetRecord(id: string): void {
  records.delete(id);
}
