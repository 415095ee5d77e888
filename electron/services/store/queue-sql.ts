import type { QueueSort } from '@shared/ipc/channels';
import type { ExceptionStatus } from '@shared/exception-status';
import type { Channel, ExceptionType } from '@shared/exception-types';
import { searchSql } from './search-sql';

export interface QueueFilter {
  /** An empty or absent list means "no filter on this field". */
  statuses?: readonly ExceptionStatus[] | undefined;
  types?: readonly ExceptionType[] | undefined;
  channels?: readonly Channel[] | undefined;
  /** Holders' user ids. */
  assignees?: readonly string[] | undefined;
  search?: string | undefined;
  /** Only these exceptions (a dashboard drill-down); unlike the lists above, empty matches none. */
  ids?: readonly string[] | undefined;
}

/**
 * Every sort ends on id so paging is stable when the leading keys tie, and its direction matches
 * an index (scanned forwards or backwards) so the first page needs no sort step.
 */
export const SORT_SQL: Readonly<Record<QueueSort, string>> = {
  priority_sla: 'priority ASC, sla_due ASC, id ASC',
  sla_due: 'sla_due ASC, id ASC',
  opened: 'opened_at ASC, id ASC',
  // Variances are compared within a currency, never 1,000 JPY against 1,000 USD as raw numbers:
  // grouped by currency (A-Z), largest magnitude first inside each (index of local migration 12).
  variance_desc: 'variance_currency ASC, variance_sort_key DESC, id DESC',
  updated: 'updated_at DESC, id DESC',
};

/** The same order backwards (a header clicked twice): each index is scanned the other way. */
export function reversedSql(sql: string): string {
  return sql
    .split(', ')
    .map((term) => {
      const [column, dir] = term.split(' ');
      if (!column) return term;
      return `${column} ${dir === 'ASC' ? 'DESC' : 'ASC'}`;
    })
    .join(', ');
}

/** The index that serves each sort in its order and carries the filter columns (migration 7; variance: 12). */
const SORT_INDEX: Readonly<Record<QueueSort, string>> = {
  priority_sla: 'exceptions_queue',
  sla_due: 'exceptions_sla_sort',
  opened: 'exceptions_opened_sort',
  variance_desc: 'exceptions_currency_variance_sort',
  updated: 'exceptions_updated_sort',
};

/**
 * The index to read a page off in its order. Null for the default order under one status or
 * one type: exceptions_status_queue / _type_queue give that order for the one value, and the
 * planner picks one of them well.
 */
export function sortIndex(sort: QueueSort, filter: QueueFilter): string | null {
  const one = (values: readonly string[] | undefined) => new Set(values).size === 1;
  if (sort === 'priority_sla' && (one(filter.statuses) || one(filter.types))) return null;
  return SORT_INDEX[sort];
}

/**
 * ORDER BY for a sort, read off its index or sorted after the filter found the rows. SQLite
 * weighs a filter's index over the one that gives the order even when the filter keeps most
 * rows (then it sorts 70k rows for a page of 100), so the repository chooses, from the total:
 * a leading `+` makes the first key an expression, which no index can order by.
 */
export function orderBy(sort: QueueSort, sortAfterFilter: boolean, reverse = false): string {
  const sql = reverse ? reversedSql(SORT_SQL[sort]) : SORT_SQL[sort];
  return sortAfterFilter ? `+${sql}` : sql;
}

export interface WhereClause {
  sql: string;
  params: string[];
  /** The search reads the trigram index: the rows should come from it. */
  searchIndexed: boolean;
  /**
   * For a 3+ character search: the filters without the search (`filters`: AND-able conditions,
   * possibly empty) and the search's halves (search-sql.ts), for counting and for a page of a
   * narrow search read from the matching rows' ids.
   */
  split?: {
    filters: string[];
    filterParams: string[];
    parties: string;
    partyParams: string[];
    own: string;
    ownParams: string[];
  };
}

function inList(
  column: string,
  values: readonly string[] | undefined,
  parts: string[],
  params: string[],
): void {
  if (!values || values.length === 0) return;
  const unique = [...new Set(values)];
  parts.push(`${column} IN (${unique.map(() => '?').join(', ')})`);
  params.push(...unique);
}

/**
 * Builds a parameterised WHERE; values never enter the SQL text, only placeholders do.
 * `searchIndexed`: whether the trigram index is built (not while a first sync defers it).
 */
export function whereClause(filter: QueueFilter, searchIndexed = true): WhereClause {
  const parts: string[] = [];
  const params: string[] = [];
  inList('status', filter.statuses, parts, params);
  inList('type', filter.types, parts, params);
  inList('channel', filter.channels, parts, params);
  if (filter.assignees && filter.assignees.length > 0) {
    // The holder is kept with the document, in no index (migrations are closed here): a lead's
    // filter reads the narrow assignee column of each document, never the evidence after it.
    const unique = [...new Set(filter.assignees)];
    parts.push(
      `rid IN (SELECT rid FROM exception_docs WHERE assignee_id IN (${unique.map(() => '?').join(', ')}))`,
    );
    params.push(...unique);
  }
  if (filter.ids) {
    // One JSON parameter keeps the statement text (and its cached plan) the same for any count.
    parts.push('id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.ids));
  }
  const filters = [...parts];
  const filterParams = [...params];
  const search = searchSql(filter.search, searchIndexed);
  if (search) {
    parts.push(search.sql);
    params.push(...search.params);
  }
  return {
    sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '',
    params,
    searchIndexed: search?.indexed ?? false,
    ...(search?.split ? { split: { filters, filterParams, ...search.split } } : {}),
  };
}

/**
 * A 3+ character search counted in two disjoint parts: the rows of the matching parties, read
 * from exceptions_party alone (which holds the filter columns: a search matching every row is
 * counted without reading one), and the rows whose own text matches and whose party does not.
 * One statement with OR reads every matching row to merge the two. With `statuses`, one count
 * per status (as columns: a GROUP BY would sort every match, exceptions_party being in party
 * order); without, one. Each part answers one row: the caller adds them.
 */
export function splitCountSql(
  split: NonNullable<WhereClause['split']>,
  statuses: readonly string[] | null,
): { sql: string; params: string[] } {
  const and = (conds: string[]) => conds.join(' AND ');
  const select = statuses
    ? statuses.map((_, i) => `count(*) FILTER (WHERE status = ?) AS n${i}`).join(', ')
    : 'COUNT(*) AS n0';
  const selectParams = statuses ? [...statuses] : [];
  const byParty = `SELECT ${select} FROM exceptions WHERE ${and([`party IN (${split.parties})`, ...split.filters])}`;
  const byOwn = `SELECT ${select} FROM exceptions WHERE ${and([...split.filters, split.own, `party NOT IN (${split.parties})`])}`;
  return {
    sql: `${byParty} UNION ALL ${byOwn}`,
    params: [
      ...selectParams,
      ...split.partyParams,
      ...split.filterParams,
      ...selectParams,
      ...split.filterParams,
      ...split.ownParams,
      ...split.partyParams,
    ],
  };
}

/** The split search as one WHERE with the filters: a row-by-row check of party or own text. */
export function splitWhereSql(split: NonNullable<WhereClause['split']>): { sql: string; params: string[] } {
  return {
    sql: `WHERE ${[...split.filters, `(party IN (${split.parties}) OR (${split.own}))`].join(' AND ')}`,
    params: [...split.filterParams, ...split.partyParams, ...split.ownParams],
  };
}

/** The party half of a split search given as the ids it found (one JSON array parameter). */
export function withPartyIds(
  split: NonNullable<WhereClause['split']>,
  ids: readonly number[],
): NonNullable<WhereClause['split']> {
  return { ...split, parties: 'SELECT value FROM json_each(?)', partyParams: [JSON.stringify(ids)] };
}

/**
 * The ids of the rows a search matches, as a set the page's read of a sort index checks from
 * the index entry alone (rid is in every index): for a search that keeps few rows, where
 * checking the party would read each row the index walk passes.
 */
export function matchingRidsSql(split: NonNullable<WhereClause['split']>): { sql: string; params: string[] } {
  return {
    sql: `rid IN (SELECT rid FROM exceptions WHERE party IN (${split.parties}) UNION ALL SELECT rid FROM exceptions WHERE ${split.own})`,
    params: [...split.partyParams, ...split.ownParams],
  };
}
