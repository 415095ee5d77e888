import type { QueueSort } from '../../../shared/ipc/channels';
import type { ExceptionStatus } from '../../../shared/exception-status';
import type { Channel, ExceptionType } from '../../../shared/exception-types';
import { searchSql } from './search-sql';

export interface QueueFilter {
  /** An empty or absent list means "no filter on this field". */
  statuses?: readonly ExceptionStatus[] | undefined;
  types?: readonly ExceptionType[] | undefined;
  channels?: readonly Channel[] | undefined;
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
  variance_desc: 'variance_sort_key DESC, id DESC',
  updated: 'updated_at DESC, id DESC',
};

export interface WhereClause {
  sql: string;
  params: string[];
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
  const search = searchSql(filter.search, searchIndexed);
  if (search) {
    parts.push(search.sql);
    params.push(...search.params);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}
