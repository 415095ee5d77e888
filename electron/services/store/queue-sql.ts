import type { QueueSort } from '../../../shared/ipc/channels';
import type { ExceptionStatus } from '../../../shared/exception-status';
import type { Channel, ExceptionType } from '../../../shared/exception-types';
import { searchSql } from './search-sql';

export interface QueueFilter {
  /** An empty or absent list means "no filter on this field". */
  statuses?: readonly ExceptionStatus[] | undefined;
  types?: readonly ExceptionType[] | undefined;
  channels?: readonly Channel[] | undefined;
  /** Holders' user ids. */
  assignees?: readonly string[] | undefined;
  search?: string | undefined;
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
  // grouped by currency (A-Z), largest magnitude first inside each. No index holds currency
  // before the magnitude, so this order is sorted after the scan (migrations are closed here).
  variance_desc: 'variance_currency ASC, variance_sort_key DESC, id DESC',
  updated: 'updated_at DESC, id DESC',
};

/** Sort keys that keep their direction when a sort is reversed (the currency groups stay A-Z). */
const FIXED_KEYS = new Set(['variance_currency']);

/** The same order backwards (a header clicked twice): each index is scanned the other way. */
export function reversedSql(sql: string): string {
  return sql
    .split(', ')
    .map((term) => {
      const [column, dir] = term.split(' ');
      if (!column || FIXED_KEYS.has(column)) return term;
      return `${column} ${dir === 'ASC' ? 'DESC' : 'ASC'}`;
    })
    .join(', ');
}

/** The index that serves each sort in its order and carries the filter columns (migration 7). */
const SORT_INDEX: Readonly<Record<QueueSort, string>> = {
  priority_sla: 'exceptions_queue',
  sla_due: 'exceptions_sla_sort',
  opened: 'exceptions_opened_sort',
  variance_desc: 'exceptions_variance_sort',
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
  // The currency comes first in the variance order and is in no index: the planner sorts.
  if (sort === 'variance_desc') return null;
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
  const search = searchSql(filter.search, searchIndexed);
  if (search) {
    parts.push(search.sql);
    params.push(...search.params);
  }
  return {
    sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '',
    params,
    searchIndexed: search?.indexed ?? false,
  };
}
