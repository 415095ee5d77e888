import { randomUUID } from 'node:crypto';
import { DEFAULT_SLA_GOAL_WINDOW_SECONDS } from '@shared/urgency';
import { z } from 'zod';
import { canTransition, type ExceptionStatus } from '@shared/exception-status';
import type { ExceptionType } from '@shared/exception-types';
import {
  MAX_PREFETCH,
  type LocalLease,
  type OperatorActionResult,
  type WorkLeases,
  type WorkNextOutput,
  type WorkSettings,
} from '@shared/ipc/channels';
import type { Resolution } from '@shared/resolution';
import type { MutationBody } from '@shared/sync/mutations';
import { BridgeFailure } from '../bridge/bridge-failure';
import type { LeaseRow, UrgencyClock } from '../store/lease-repo';
import { statusAfterResolve } from '@shared/resolution';
import { localEffectOf } from '../store/local-effect';
import type { LocalStore } from '../store/local-store';
import { createChecklistService, type ChecklistService } from '../checklist/checklist-service';

export const PREFETCH_COUNT_KEY = 'work.prefetchCount';
export const DEFAULT_PREFETCH_COUNT = 25;
/** The SLA goal window setting (default: shared/urgency.ts), for the local urgency order. */
export const SLA_GOAL_WINDOW_KEY = 'work.slaGoalWindowSeconds';
const LOST_SHOWN = 200;

export interface WorkService {
  /** The most urgent leased item not yet finished here; works offline. */
  next(userId: string, types?: readonly ExceptionType[]): WorkNextOutput;
  leases(userId: string): WorkLeases;
  settings(): WorkSettings;
  updateSettings(settings: WorkSettings): WorkSettings;
  start(userId: string, exceptionId: string): OperatorActionResult;
  resolve(userId: string, exceptionId: string, resolution: Resolution): OperatorActionResult;
  skip(userId: string, exceptionId: string, reason: string): OperatorActionResult;
  /** A note needs no lease (the server takes it from the holder or a lead). */
  addNote(
    author: { id: string; displayName: string },
    exceptionId: string,
    text: string,
  ): { mutationId: string };
}

export interface WorkServiceOptions {
  store: LocalStore;
  checklists?: ChecklistService;
  now?: () => Date;
  /** After every recorded action: emit events and nudge the sync engine. */
  onLocalChange?: () => void;
}

export function toLocalLease(l: LeaseRow): LocalLease {
  return {
    leaseId: l.leaseId,
    exceptionId: l.exceptionId,
    expiresAt: new Date(l.expiresAt).toISOString(),
    state: l.state,
    lostReason: l.lostReason,
    returned: l.returned,
  };
}

export function prefetchCount(store: LocalStore): number {
  return (
    store.settings.get(PREFETCH_COUNT_KEY, z.number().int().min(0).max(MAX_PREFETCH)) ??
    DEFAULT_PREFETCH_COUNT
  );
}

/**
 * The operator's actions on leased work. Each one checks the local lease and lifecycle, then
 * writes the local change and its outbox entry in ONE SQLite transaction: both survive a crash
 * or neither does, and nothing counts as synced until the server acknowledges the entry.
 */
export function createWorkService(options: WorkServiceOptions): WorkService {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const checklists = options.checklists ?? createChecklistService(store, now);

  const clock = (): UrgencyClock => ({
    now: now().getTime(),
    goalWindowMs:
      (store.settings.get(SLA_GOAL_WINDOW_KEY, z.number().int().min(0)) ?? DEFAULT_SLA_GOAL_WINDOW_SECONDS) *
      1000,
  });

  function heldLease(userId: string, exceptionId: string): LeaseRow {
    const lease = store.leases.active(userId, exceptionId);
    if (lease) return lease;
    const last = store.leases.latest(userId, exceptionId);
    if (last?.state === 'lost') {
      throw new BridgeFailure(
        'conflict',
        `You no longer hold ${exceptionId}: ${last.lostReason ?? 'the server took the lease back'}.`,
      );
    }
    if (last?.state === 'done') {
      throw new BridgeFailure('conflict', `You have already finished ${exceptionId}.`);
    }
    throw new BridgeFailure('conflict', `${exceptionId} is not leased to you; take work with get next.`);
  }

  function currentStatus(exceptionId: string): ExceptionStatus {
    const record = store.exceptions.get(exceptionId);
    if (!record) throw new BridgeFailure('not_found', `Exception ${exceptionId} is not in the local queue.`);
    return record.status;
  }

  function record(
    userId: string,
    exceptionId: string,
    build: (lease: LeaseRow, status: ExceptionStatus) => MutationBody | null,
    approvalNeeded = false,
  ): OperatorActionResult {
    const at = now();
    const result = store.transaction((): OperatorActionResult => {
      const lease = heldLease(userId, exceptionId);
      const body = build(lease, currentStatus(exceptionId));
      if (!body) return { mutationId: null, exception: store.exceptions.get(exceptionId) };
      const mutationId = randomUUID();
      store.outbox.enqueue({ mutationId, userId, occurredAt: at.toISOString(), body, now: at.getTime() });
      const effect = localEffectOf(body, approvalNeeded);
      if (effect.kind === 'status') store.exceptions.setLocalStatus(exceptionId, effect.status, at);
      else if (effect.kind === 'remove') store.exceptions.remove(exceptionId);
      store.leases.setState(
        lease.leaseId,
        body.kind === 'exception.start' ? 'working' : 'done',
        at.getTime(),
      );
      return { mutationId, exception: store.exceptions.get(exceptionId) };
    });
    if (result.mutationId) options.onLocalChange?.();
    return result;
  }

  const illegal = (exceptionId: string, from: ExceptionStatus, what: string): BridgeFailure =>
    new BridgeFailure('conflict', `${exceptionId} is ${from.replace('_', ' ')}; it cannot be ${what}.`);

  return {
    next(userId, types) {
      const c = clock();
      const lease = store.leases.next(userId, c, types);
      const remaining = store.leases.countActive(userId);
      if (!lease) return { item: null, remaining };
      const exception = store.exceptions.get(lease.exceptionId);
      if (!exception) return { item: null, remaining };
      return { item: { exception, lease: toLocalLease(lease) }, remaining };
    },
    leases(userId) {
      const { held, lost } = store.leases.list(userId, clock(), LOST_SHOWN);
      return { held: held.map(toLocalLease), lost: lost.map(toLocalLease) };
    },
    settings: () => ({ prefetchCount: prefetchCount(store) }),
    updateSettings(settings) {
      store.settings.set(PREFETCH_COUNT_KEY, settings.prefetchCount);
      return { prefetchCount: prefetchCount(store) };
    },
    start(userId, exceptionId) {
      return record(userId, exceptionId, (lease, status) => {
        if (status === 'in_progress') return null;
        if (!canTransition(status, 'in_progress')) throw illegal(exceptionId, status, 'started');
        return { kind: 'exception.start', exceptionId, leaseId: lease.leaseId };
      });
    },
    resolve(userId, exceptionId, resolution) {
      // A lost or finished lease says so first (as start and skip do), before any SOP verdict.
      heldLease(userId, exceptionId);
      // The same engine check the server makes, before anything is queued: the operator hears
      // what blocks the result now, not after a push hours later.
      const { checklist, needsApproval } = checklists.forResolution(
        userId,
        exceptionId,
        resolution,
        now().toISOString().slice(0, 10),
      );
      return record(
        userId,
        exceptionId,
        (lease, status) => {
          // As on the server: a resolve on an item not yet started passes through in_progress.
          const viaStart = status === 'in_progress' || canTransition(status, 'in_progress');
          if (!viaStart || !canTransition('in_progress', statusAfterResolve(resolution))) {
            throw illegal(exceptionId, status, 'resolved');
          }
          return { kind: 'exception.resolve', exceptionId, leaseId: lease.leaseId, resolution, checklist };
        },
        needsApproval,
      );
    },
    addNote(author, exceptionId, text) {
      const at = now();
      const mutationId = randomUUID();
      const trimmed = text.trim();
      // The note joins the item's thread here in the same transaction as its outbox row, so it
      // shows at once, offline too, and is never shown without being on its way to the server.
      store.transaction(() => {
        if (!store.exceptions.get(exceptionId)) {
          throw new BridgeFailure('not_found', `Exception ${exceptionId} is not in the local queue.`);
        }
        store.outbox.enqueue({
          mutationId,
          userId: author.id,
          occurredAt: at.toISOString(),
          body: { kind: 'exception.note', exceptionId, text: trimmed },
          now: at.getTime(),
        });
        store.notes.add({
          id: mutationId,
          exceptionId,
          authorId: author.id,
          authorName: author.displayName,
          at: at.toISOString(),
          text: trimmed,
        });
      });
      options.onLocalChange?.();
      return { mutationId };
    },
    skip(userId, exceptionId, reason) {
      return record(userId, exceptionId, (lease, status) => {
        if (!canTransition(status, 'open')) throw illegal(exceptionId, status, 'skipped');
        const activeMs = store.checklists.get(userId, exceptionId)?.activeMs;
        return {
          kind: 'exception.skip',
          exceptionId,
          leaseId: lease.leaseId,
          reason,
          ...(activeMs === undefined ? {} : { activeMs }),
        };
      });
    },
  };
}
