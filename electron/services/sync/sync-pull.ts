import type { PullResponse } from '@shared/api/sync';
import type { SyncStep } from './sync-step';

export interface PullStepOptions {
  pageSize?: number;
  /** Caps one cycle so a huge backlog cannot hold the engine forever; the next cycle continues. */
  maxPagesPerCycle?: number;
  /** Longest the store writes a page before letting the event loop run (see below). */
  sliceMs?: number;
}

/** Rows asked for first: a small page arrives at once (see below). */
const FIRST_PAGE = 500;

/**
 * Rows per page after the first. The API allows 5,000, but a page is decoded (JSON.parse) in one
 * go on the event loop that answers the window: 4 MB at 5,000 rows held bridge calls for tens of
 * milliseconds; at 1,000 the server still reads pages ahead, so round trips stay hidden.
 */
export const PULL_PAGE = 1000;

/**
 * The store is synchronous and shares the event loop with the window's bridge calls: a page of
 * 5,000 rows written in one go held an autosave or an Enter for hundreds of milliseconds. Pages
 * are written in slices of about this long (plus the commit), with the loop free in between.
 */
export const PULL_SLICE_MS = 8;

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Pulls the change feed from the stored cursor. A page's cursor commits with the page's last
 * rows, so after a crash the next pull starts exactly after the last fully applied page.
 *
 * Pipelined: the request for page N+1 leaves before page N is written, so the server prepares
 * the next page while this process parses and stores the current one. Pages are still applied
 * strictly in order; a prefetched page is dropped if the session ends or an apply fails.
 */
export function createPullStep(options: PullStepOptions = {}): SyncStep {
  const pageSize = options.pageSize ?? PULL_PAGE;
  const maxPages = options.maxPagesPerCycle ?? 500;
  const sliceMs = options.sliceMs ?? PULL_SLICE_MS;
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
            // Slices commit one after the other and only the last stores the cursor: a crash or
            // a sign-out in between leaves the page to be pulled again from its start.
            let from = 0;
            do {
              from = ctx.store.applyPulledSlice(result.changes, from, result.cursor, sliceMs);
              if (from < result.changes.length) {
                await yieldToLoop();
                if (!ctx.isCurrent()) return;
              }
            } while (from < result.changes.length);
          }
          if (result.changes.length > 0 && !initialLoad) ctx.queueChanged();
          if (!more) return;
          cursor = result.cursor;
        }
      } finally {
        if (initialLoad) {
          // One index at a time, the loop free in between (the queue reads meanwhile use the
          // index kept for get-next, or scan).
          while (ctx.store.endInitialLoadStep()) await yieldToLoop();
          ctx.queueChanged();
        }
      }
    },
  };
}
