import type { SyncStep } from './sync-step';

export interface PullStepOptions {
  pageSize?: number;
  /** Caps one cycle so a huge backlog cannot hold the engine forever; the next cycle continues. */
  maxPagesPerCycle?: number;
}

/**
 * Pulls the change feed from the stored cursor. Each page and its cursor commit in one SQLite
 * transaction, so after a crash the next pull starts exactly after the last applied page.
 */
export function createPullStep(options: PullStepOptions = {}): SyncStep {
  const pageSize = options.pageSize ?? 1000;
  const maxPages = options.maxPagesPerCycle ?? 500;
  return {
    name: 'pull',
    async run(ctx) {
      for (let page = 0; page < maxPages; page += 1) {
        const cursor = ctx.store.pullCursor();
        const result = await ctx.client.pull({ cursor, limit: pageSize }, ctx.tokens);
        // A sign-out or a different sign-in while the request was out: this page is not ours.
        if (!ctx.isCurrent()) return;
        if (result.changes.length > 0 || result.cursor !== cursor) {
          ctx.store.applyPulledPage(result.changes, result.cursor);
        }
        if (result.changes.length > 0) ctx.queueChanged();
        if (!result.hasMore || result.cursor === cursor) return;
      }
    },
  };
}
