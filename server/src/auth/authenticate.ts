import type { FastifyReply, FastifyRequest } from 'fastify';
import { unauthorized } from '../http/api-error';
import type { AccessTokens } from './access-token';
import type { AuthUser } from './auth-user';

declare module 'fastify' {
  interface FastifyRequest {
    authUser: AuthUser | null;
  }
}

/** A preHandler that admits only requests with a valid Bearer access token. */
export function requireUser(tokens: AccessTokens) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw unauthorized();
    const user = await tokens.verify(match[1]);
    if (!user) throw unauthorized();
    request.authUser = user;
  };
}

/** The signed-in user of a route guarded by requireUser. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.authUser) throw unauthorized();
  return request.authUser;
}
