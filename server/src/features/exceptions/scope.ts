import type { Role } from '@shared/roles';
import type { AuthUser } from '../../auth/auth-user';

/** A SQL condition with its parameters numbered from the `firstParam` given. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * Which exceptions a user may read:
 * - `all`: leads, admins and QA reviewers (they supervise, reassign and sample any work);
 * - `holder`: an operator sees only exceptions assigned to them (leased, or resolved by them and
 *   not yet taken by anyone else);
 * - `none`: trainers (SOP authors) read no live exceptions.
 * The widest role wins: an admin who is also an operator sees everything.
 */
export type ExceptionScope = { kind: 'all' } | { kind: 'holder'; userId: string } | { kind: 'none' };

const SEE_ALL: readonly Role[] = ['lead', 'admin', 'qa'];

export function exceptionScope(user: AuthUser): ExceptionScope {
  if (user.roles.some((r) => SEE_ALL.includes(r))) return { kind: 'all' };
  if (user.roles.includes('operator')) return { kind: 'holder', userId: user.id };
  return { kind: 'none' };
}

/** A condition on an `exceptions` row (aliased `alias`) for GET /api/exceptions/:id and the like. */
export function exceptionRowCondition(user: AuthUser, alias: string, firstParam: number): SqlCondition {
  const scope = exceptionScope(user);
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: [] };
    case 'holder':
      return { sql: `${alias}.assignee_id = $${firstParam}`, params: [scope.userId] };
    case 'none':
      return { sql: 'FALSE', params: [] };
  }
}

/**
 * A condition on a `change_feed` row (aliased `alias`) for the pull. Feed rows carry an audience
 * (db/change-feed.ts): the operator they concern. Operators pull their own rows through the
 * (audience, seq) index. Readers of everything skip the per-holder `delete` rows ("you lost this
 * item"), which are about one operator's copy, not about the exception.
 */
export function feedRowCondition(user: AuthUser, alias: string, firstParam: number): SqlCondition {
  const scope = exceptionScope(user);
  switch (scope.kind) {
    case 'all':
      return { sql: `NOT (${alias}.op = 'delete' AND ${alias}.audience IS NOT NULL)`, params: [] };
    case 'holder':
      return { sql: `${alias}.audience = $${firstParam}`, params: [scope.userId] };
    case 'none':
      return { sql: 'FALSE', params: [] };
  }
}

/**
 * Whether a feed row's joined exception may go out as an upsert to this user *now*. An operator
 * who has since lost the item gets a delete instead, whatever the row was: the pull always sends
 * current state, never a copy the reader may no longer hold.
 */
export function mayReadNow(user: AuthUser, assigneeId: string | null): boolean {
  const scope = exceptionScope(user);
  return scope.kind === 'all' || (scope.kind === 'holder' && assigneeId === scope.userId);
}

/** Whether a feed notification for these operators (null = everyone) concerns this user. */
export function noticeConcerns(user: AuthUser, users: readonly string[] | null): boolean {
  const scope = exceptionScope(user);
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  return users === null || users.includes(scope.userId);
}
