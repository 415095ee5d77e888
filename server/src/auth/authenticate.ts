import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '@shared/roles';
import { forbidden, unauthorized } from '../http/api-error';
import type { AccessTokens } from './access-token';
import type { SignedInUser } from './auth-user';

declare module 'fastify' {
  interface FastifyRequest {
    authUser: SignedInUser | null;
  }
}

export interface RequireUserOptions {
  /** Admit only users holding at least one of these roles (403 otherwise). Omitted: any signed-in user. */
  roles?: readonly Role[];
  /**
   * Also accept the token as `?access_token=` (only for GET /api/sync/events: EventSource cannot
   * set headers). Tokens in URLs end up in logs; every other route takes the header only.
   */
  queryToken?: boolean;
}

function bearerToken(request: FastifyRequest, queryToken: boolean): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (match?.[1]) return match[1];
  if (queryToken && typeof request.query === 'object' && request.query !== null) {
    const value = (request.query as Record<string, unknown>).access_token;
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

/**
 * An onRequest hook that admits only requests with a valid Bearer access token of a live session
 * (401) whose user holds one of the route's roles (403). onRequest runs before the body is read
 * and before any schema validation, so an anonymous caller learns nothing about a route's schema
 * and cannot make the server parse a body. Ownership (an operator acts only on work leased to
 * them) is checked by each handler against the database, since only it knows who holds what.
 */
export function requireUser(tokens: AccessTokens, opts: RequireUserOptions = {}) {
  const guard = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request, opts.queryToken ?? false);
    if (!token) throw unauthorized();
    const user = await tokens.verify(token);
    if (!user) throw unauthorized();
    if (opts.roles && !user.roles.some((r) => opts.roles?.includes(r))) {
      throw forbidden(`this needs one of the roles: ${opts.roles.join(', ')}`);
    }
    request.authUser = user;
  };
  AUTH_GUARDS.add(guard);
  return guard;
}

const AUTH_GUARDS = new WeakSet<object>();

/**
 * Refuses, at registration, a route that runs requireUser as a preHandler: by then Fastify has
 * parsed and validated the body, so an anonymous caller would get schema details instead of 401.
 */
export function refuseLateAuthentication(route: {
  method: unknown;
  url: string;
  preHandler?: unknown;
}): void {
  const handlers: unknown[] = Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
  if (handlers.some((h) => typeof h === 'function' && AUTH_GUARDS.has(h))) {
    throw new Error(
      `${String(route.method)} ${route.url}: requireUser must be an onRequest hook, not a preHandler`,
    );
  }
}

/** The signed-in user of a route guarded by requireUser. */
export function currentUser(request: FastifyRequest): SignedInUser {
  if (!request.authUser) throw unauthorized();
  return request.authUser;
}
