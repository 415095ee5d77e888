import type { AuthUser } from '../../auth/auth-user';

/** A SQL condition on an exception id column, with its parameters numbered from `firstParam`. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * The one place that decides which exceptions a user may read, used by both the sync pull and
 * GET /api/exceptions/:id. Today every signed-in user reads every exception; per-role and
 * per-lease scoping replaces the body of this function and nothing else.
 */
export function exceptionReadScope(_user: AuthUser, _idColumn: string, _firstParam: number): SqlCondition {
  return { sql: 'TRUE', params: [] };
}
