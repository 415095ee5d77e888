import type { User } from '@shared/roles';
import type { AccessTokenSource, ServerClient } from '../session/server-client';
import type { LocalStore } from '../store/local-store';

/**
 * One phase of a sync cycle. The engine runs its steps in order (push the outbox, pull the
 * feed, keep the leases) and owns status, retries of the whole cycle and online detection;
 * a step only talks to the server and the store, and throws `ServerError` when the server fails.
 */
export interface SyncStep {
  readonly name: string;
  run(ctx: SyncContext): Promise<void>;
}

export type WorkChange = 'prefetched' | 'renewed' | 'lost';

export interface SyncContext {
  readonly store: LocalStore;
  readonly client: ServerClient;
  readonly tokens: AccessTokenSource;
  readonly userId: string;
  readonly user: User;
  readonly now: () => Date;
  /** False once the session that started this cycle has ended: stop without writing. */
  isCurrent(): boolean;
  /** Tell the UI the local queue changed (the engine emits `queue.changed`). */
  queueChanged(): void;
  /** Outbox or conflict counts changed (the engine emits `sync.status`). */
  outboxChanged(): void;
  /** The local leases changed (the engine emits `work.changed`). */
  workChanged(reason: WorkChange): void;
}
