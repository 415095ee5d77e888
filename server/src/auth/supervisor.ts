import { supervises } from '@shared/roles';
import type { AuthUser } from './auth-user';

/** Who supervises is shared/roles.ts (the desktop shows the team's controls by the same rule). */
export function isSupervisor(user: AuthUser): boolean {
  return supervises(user.roles);
}
