import type { AuthUser } from './auth-user';

/** Leads and admins supervise work: they release or reassign anyone's items and note any exception. */
export function isSupervisor(user: AuthUser): boolean {
  return user.roles.includes('lead') || user.roles.includes('admin');
}
