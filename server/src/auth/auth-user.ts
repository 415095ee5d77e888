import type { Role } from '../../../shared/roles';

/** Who is calling, as proven by the access token. */
export interface AuthUser {
  id: string;
  username: string;
  roles: Role[];
}
