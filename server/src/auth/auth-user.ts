import type { Role } from '@shared/roles';

/** Who is calling, as proven by the access token. */
export interface AuthUser {
  id: string;
  username: string;
  roles: Role[];
}

/**
 * A caller proven by an access token: the user, and the session (refresh-token family) the token
 * was issued for, which ends on logout, on refresh-token reuse and when the user is deactivated.
 */
export interface SignedInUser extends AuthUser {
  sessionId: string;
}
