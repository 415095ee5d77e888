/** The queue's free-text search as SQL over `exceptions` (and its trigram indexes). */
export interface SearchSql {
  /** A condition on one row (its party, its own text), for reading a sort's index in order. */
  sql: string;
  params: string[];
  /** Whether the clause reads the per-row trigram index (then the planner should start from it). */
  indexed: boolean;
  /**
   * For a 3+ character search, the condition's two halves: the row's party is among `parties`
   * (a subquery of party ids), or its own text matches (`own`). Counted apart, from the party
   * index and from the per-row index, since they are disjoint once `own` excludes the parties.
   */
  split?: { parties: string; partyParams: string[]; own: string; ownParams: string[] };
}

/** The trigram index proposes rows only for a query of at least this many characters. */
export const MIN_INDEXED_SEARCH = 3;

/** Exception ids are `EX-` and upper-case letters and digits (shared/exception.ts). */
const ID_PREFIX = /^[0-9A-Z-]+$/;

/**
 * A 1-2 character search matches the ids that start with it, with or without the `EX-`
 * ("ex", "E", "00" for EX-00...): a trigram index cannot answer it, and a substring of one or
 * two characters would match nearly every row anyway. Served by the unique index on id.
 */
function idPrefix(text: string): SearchSql | null {
  const upper = text.toUpperCase();
  const prefix = upper.startsWith('E') ? upper : `EX-${upper}`;
  if (!ID_PREFIX.test(prefix)) return { sql: '0', params: [], indexed: false };
  if ('EX-'.startsWith(prefix)) return null; // every id
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return { sql: 'id >= ? AND id < ?', params: [prefix, end], indexed: false };
}

/**
 * An FTS5 query that every row containing `chars` satisfies: its trigrams at every third
 * position and the last one, all required. Each is a quoted string (a `"` doubled), so nothing
 * the user types is read as FTS5 syntax (AND, OR, NOT, NEAR, `*`, `-`, `^`, `:`, parentheses).
 * Null when no trigram is usable (a NUL would end the query text early).
 */
export function trigramQuery(chars: readonly string[]): string | null {
  const starts = new Set<number>();
  for (let i = 0; i + 3 <= chars.length; i += 3) starts.add(i);
  starts.add(chars.length - 3);
  const terms = new Set<string>();
  for (const i of starts) {
    const trigram = chars.slice(i, i + 3).join('');
    if (!trigram.includes('\u0000')) terms.add(`"${trigram.replaceAll('"', '""')}"`);
  }
  return terms.size ? [...terms].join(' AND ') : null;
}

/**
 * The parties (search_parties: customer, account and agreement text, stored once per distinct
 * set) that contain the query: a few thousand rows, so even a scan of them is cheap.
 */
function partiesSql(match: string | null): string {
  return match === null
    ? 'SELECT id FROM search_parties WHERE instr(text, ?) > 0'
    : 'SELECT id FROM search_parties WHERE id IN (SELECT rowid FROM party_search WHERE party_search MATCH ?) AND instr(text, ?) > 0';
}

/**
 * Rows whose own search text (id, invoice) or whose party's text (customer, account,
 * agreement) contains the query, lower-cased as exception-row.ts stores both: like a full scan
 * of both texts, as the indexes only narrow the rows and instr() decides, so an index can never
 * add or lose a match. `indexed` is false while a first sync has the per-row index unbuilt (the
 * party index is always kept).
 */
export function searchSql(search: string | undefined, indexed: boolean): SearchSql | null {
  const text = search?.trim().toLowerCase();
  if (!text) return null;
  const chars = Array.from(text);
  if (chars.length < MIN_INDEXED_SEARCH) return idPrefix(text);
  const match = trigramQuery(chars);
  const parties = partiesSql(match);
  const partyParams = match === null ? [text] : [match, text];
  const useIndex = match !== null && indexed;
  const own = useIndex
    ? 'rid IN (SELECT rowid FROM exception_search WHERE exception_search MATCH ?) AND instr(search_text, ?) > 0'
    : 'instr(search_text, ?) > 0';
  const ownParams = useIndex ? [match, text] : [text];
  return {
    sql: `(party IN (${parties}) OR (${own}))`,
    params: [...partyParams, ...ownParams],
    indexed: useIndex,
    split: { parties, partyParams, own, ownParams },
  };
}
