import type { AuthUser } from '../../auth/auth-user';
import type { Queryable } from '../../db/types';
import { readFeedJson, type FeedPageJson } from './feed-repo';

export interface FeedPageReader {
  /** The page after `cursor` for this user: prefetched if it was, else read now. */
  read(user: AuthUser, cursor: number, limit: number): Promise<FeedPageJson>;
}

interface Prefetched {
  page: Promise<FeedPageJson>;
  expiresAt: number;
}

/**
 * Reads a puller's next page while the current one travels and is written by the client. A
 * long pull (a first sync) is a chain of requests, each sent when the previous page arrives
 * (it carries the cursor): without this, PostgreSQL sat idle while the client worked and the
 * client waited while PostgreSQL worked. A prefetched page is the feed as it was a moment
 * before the request, as valid as reading it then: positions are final, and any later change
 * of a row is a later feed row. Kept a few seconds, for the same user, roles, cursor and limit.
 */
export function createFeedPageReader(
  db: Queryable,
  options: { ttlMs?: number; maxPages?: number; now?: () => number } = {},
): FeedPageReader {
  const ttlMs = options.ttlMs ?? 10_000;
  const maxPages = options.maxPages ?? 16;
  const now = options.now ?? Date.now;
  const pages = new Map<string, Prefetched>();
  const keyOf = (user: AuthUser, cursor: number, limit: number): string =>
    `${user.id}\u0000${[...user.roles].sort().join(',')}\u0000${cursor}\u0000${limit}`;

  function prefetch(user: AuthUser, cursor: number, limit: number): void {
    // Each page can be a few MB: a bounded number, the oldest dropped first.
    while (pages.size >= maxPages) pages.delete(pages.keys().next().value as string);
    const page = readFeedJson(db, user, cursor, limit);
    // A failed prefetch is read again on request; it must not go unhandled meanwhile.
    page.catch(() => undefined);
    const key = keyOf(user, cursor, limit);
    const entry = { page, expiresAt: now() + ttlMs };
    pages.set(key, entry);
    // Not kept for a puller that never comes back.
    setTimeout(() => {
      if (pages.get(key) === entry) pages.delete(key);
    }, ttlMs).unref();
  }

  return {
    async read(user, cursor, limit) {
      const key = keyOf(user, cursor, limit);
      const held = pages.get(key);
      pages.delete(key);
      let page: FeedPageJson | undefined;
      if (held && held.expiresAt > now()) page = await held.page.catch(() => undefined);
      page ??= await readFeedJson(db, user, cursor, limit);
      if (page.hasMore) prefetch(user, page.cursor, limit);
      return page;
    },
  };
}
