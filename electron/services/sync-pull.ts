import type { PullResponse } from '../../shared/api/sync';
import type { SyncStep } from './sync-step';

export interface PullStepOptions {
  pageSize?: number;
  /** Caps one cycle so a huge backlog cannot hold the engine forever; the next cycle continues. */
  maxPagesPerCycle?: number;
}

/** Rows asked for first: a small page arrives at once (see below). */
const FIRST_PAGE = 500;

/**
 * Pulls the change feed from the stored cursor. Each page and its cursor commit in one SQLite
 * transaction, so after a crash the next pull starts exactly after the last applied page.
 *
 * Pipelined: the request for page N+1 leaves before page N is written, so the server prepares
 * the next page while this process parses and stores the current one. Pages are still applied
 * strictly in order; a prefetched page is dropped if the session ends or an apply fails.
 */
export function createPullStep(options: PullStepOptions = {}): SyncStep {
  // The API's largest page: fewer round trips and commits on a first sync of a big feed.
  const pageSize = options.pageSize ?? 5000;
  const maxPages = options.maxPagesPerCycle ?? 500;
  return {
    name: 'pull',
    async run(ctx) {
      let cursor = ctx.store.pullCursor();
      // The first page is small: it arrives quickly, and this process writes it while the server
      // prepares the next, full page (nothing to overlap with the first request otherwise).
      let next: Promise<PullResponse> = ctx.client.pull(
        { cursor, limit: Math.min(pageSize, FIRST_PAGE) },
        ctx.tokens,
      );
      // A first sync of more than a page builds the store's indexes once, at the end (or when
      // this cycle stops for any reason), instead of row by row.
      let initialLoad = false;
      try {
        for (let page = 0; page < maxPages; page += 1) {
          const result = await next;
          // A sign-out or a different sign-in while the request was out: this page is not ours.
          if (!ctx.isCurrent()) return;
          const more = result.hasMore && result.cursor !== cursor && page + 1 < maxPages;
          if (more) {
            next = ctx.client.pull({ cursor: result.cursor, limit: pageSize }, ctx.tokens);
            // Rejections are seen when awaited; an unawaited one (apply failed) must not go unhandled.
            next.catch(() => undefined);
            // Let the request go out before the synchronous SQLite write holds the thread.
            await new Promise((r) => setImmediate(r));
            if (!ctx.isCurrent()) return;
          }
          if (page === 0 && more) initialLoad = ctx.store.beginInitialLoad();
          if (result.changes.length > 0 || result.cursor !== cursor) {
            ctx.store.applyPulledPage(result.changes, result.cursor);
          }
          if (result.changes.length > 0 && !initialLoad) ctx.queueChanged();
          if (!more) return;
          cursor = result.cursor;
        }
      } finally {
        if (initialLoad) {
          ctx.store.endInitialLoad();
          ctx.queueChanged();
        }
      }
    },
  };
}
