import { z } from 'zod';
import type { LeasedItem, RenewResponse } from '@shared/api/work';
import type { LocalStore } from '../store/local-store';
import type { LeaseRow } from '../store/lease-repo';
import type { SyncContext, SyncStep } from './sync-step';
import { prefetchCount } from '../work/work-service';

export const LAST_RENEW_KEY = 'work.lastRenewAt';

export interface LeaseStepOptions {
  /** How often every held lease is renewed while online. */
  renewEveryMs?: number;
  /** Leases asked for in one get-next call (the API allows 200). */
  maxPerRequest?: number;
  /** Overrides the prefetch setting (tests, the bench). */
  prefetchCount?: () => number;
}

const RENEW_CHUNK = 500;

/**
 * Keeps a shift's worth of leased work in hand while online: renews the held leases every few
 * minutes (and at once those whose item a pull took away, to learn why), records lost ones with
 * the server's reason, then tops the local queue up to the prefetch count with get-next. Only
 * operators are allocated work.
 */
export function createLeaseStep(options: LeaseStepOptions = {}): SyncStep {
  const renewEveryMs = options.renewEveryMs ?? 5 * 60_000;
  const perRequest = Math.min(200, options.maxPerRequest ?? 200);
  return {
    name: 'leases',
    async run(ctx) {
      if (!ctx.user.roles.includes('operator')) return;
      await renew(ctx, renewEveryMs);
      if (!ctx.isCurrent()) return;
      await topUp(ctx, options.prefetchCount?.() ?? prefetchCount(ctx.store), perRequest);
    },
  };
}

async function renew(ctx: SyncContext, renewEveryMs: number): Promise<void> {
  const { store, userId } = ctx;
  const startedAt = ctx.now().getTime();
  const last = store.settings.get(LAST_RENEW_KEY, z.number()) ?? 0;
  const due = startedAt - last >= renewEveryMs;
  const leases: LeaseRow[] = due ? store.leases.allActive(userId) : store.leases.orphans(userId);
  let lost = 0;
  let renewed = 0;
  const missing: string[] = [];
  for (let i = 0; i < leases.length; i += RENEW_CHUNK) {
    const chunk = leases.slice(i, i + RENEW_CHUNK);
    const answer: RenewResponse = await ctx.client.renew(
      chunk.map((l) => l.leaseId),
      ctx.tokens,
    );
    if (!ctx.isCurrent()) return;
    const at = ctx.now().getTime();
    store.transaction(() => {
      for (const l of answer.renewed) {
        store.leases.renewed(l.leaseId, Date.parse(l.expiresAt), at);
        if (!store.exceptions.get(l.exceptionId)) missing.push(l.exceptionId);
        renewed += 1;
      }
      for (const l of answer.lost) if (store.leases.markLost(l.leaseId, l.reason, at)) lost += 1;
    });
  }
  // Still ours but not in the local store (a pull raced the grant): fetch the record itself.
  for (const id of missing) {
    const record = await ctx.client.exception(id, ctx.tokens);
    if (!ctx.isCurrent()) return;
    if (record) store.transaction(() => store.exceptions.upsert(record));
  }
  if (due) store.settings.set(LAST_RENEW_KEY, startedAt);
  if (lost > 0) ctx.workChanged('lost');
  else if (renewed > 0) ctx.workChanged('renewed');
  if (missing.length > 0) ctx.queueChanged();
}

async function topUp(ctx: SyncContext, target: number, perRequest: number): Promise<void> {
  const { store, userId } = ctx;
  // An item a lead sent back waits for this operator alone, and the server hands it out first:
  // ask for it even when the hand is full, or the operator would not see it until they had
  // worked the hand down below the prefetch count.
  let need = Math.max(target - store.leases.countActive(userId), store.leases.countReturnedWaiting(userId));
  let got = 0;
  while (need > 0) {
    const count = Math.min(need, perRequest);
    const { items } = await ctx.client.next({ count }, ctx.tokens);
    if (!ctx.isCurrent()) return;
    storeLeasedItems(store, userId, items, ctx.now().getTime());
    got += items.length;
    need -= items.length;
    // Fewer than asked: the queue (or the operator's lease cap) is exhausted for now.
    if (items.length < count) break;
  }
  if (got > 0) {
    ctx.workChanged('prefetched');
    ctx.queueChanged();
  }
}

/** Records items the server leased to this operator (get-next answers), in one transaction. */
export function storeLeasedItems(
  store: LocalStore,
  userId: string,
  items: readonly LeasedItem[],
  at: number,
): void {
  store.transaction(() => {
    for (const { exception, lease, returned } of items) {
      // The lease carries the exception as granted; an unsent local change to it stays on top.
      // Its evidence is kept either way: it is what makes the item workable offline.
      if (store.outbox.unacknowledgedFor([exception.id]).length === 0) store.exceptions.upsert(exception);
      else store.exceptions.setEvidence(exception.id, exception.evidence);
      store.leases.granted(
        {
          leaseId: lease.leaseId,
          exceptionId: lease.exceptionId,
          userId,
          expiresAt: Date.parse(lease.expiresAt),
          // Only get-next says why a lead sent the item back (the feed does not): keep it here.
          returned,
        },
        at,
      );
    }
  });
}
