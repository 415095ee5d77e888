import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  loginRequestSchema,
  logoutRequestSchema,
  logoutResponseSchema,
  refreshRequestSchema,
  tokenResponseSchema,
  type TokenResponse,
} from '@shared/api/auth';
import { apiErrorSchema } from '@shared/api/errors';
import type { AccessTokens } from '../../auth/access-token';
import { burnVerification, verifyPassword } from '../../auth/passwords';
import type { LoginThrottlePolicy } from '../../config';
import type { Database } from '../../db/types';
import { tooManyRequests, unauthorized } from '../../http/api-error';
import { addressKey } from '../../http/client-address';
import { LoginThrottle } from './login-throttle';
import { openSession, revokeFamilyOf, rotateRefreshToken } from './refresh-tokens';
import { findUserById, findUserByUsername, publicUser, type UserRow } from './users-repo';

export interface AuthPluginOptions {
  db: Database;
  tokens: AccessTokens;
  refreshTokenTtlSeconds: number;
  loginThrottle: LoginThrottlePolicy;
  now: () => Date;
}

const THROTTLE_SWEEP_MS = 10 * 60_000;

/** Says when to come back, and nothing about whether the account exists or which limit was hit. */
function retryMessage(retryAt: Date, seconds: number): string {
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `too many sign-in attempts; try again in ${wait} (after ${retryAt.toISOString().slice(11, 19)} UTC)`;
}

export const authRoutes: FastifyPluginAsyncZod<AuthPluginOptions> = async (
  app,
  { db, tokens, refreshTokenTtlSeconds, loginThrottle, now },
) => {
  const throttle = new LoginThrottle(db, loginThrottle, now);
  const sweep = setInterval(() => {
    throttle.sweep().catch((error: unknown) => app.log.error({ err: error }, 'login throttle sweep failed'));
  }, THROTTLE_SWEEP_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  async function tokenResponse(
    user: UserRow,
    refreshToken: string,
    sessionId: string,
  ): Promise<TokenResponse> {
    const pub = publicUser(user);
    return {
      accessToken: await tokens.issue({ id: pub.id, username: pub.username, roles: pub.roles }, sessionId),
      expiresIn: tokens.ttlSeconds,
      refreshToken,
      user: pub,
    };
  }

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        operationId: 'login',
        security: [],
        summary: 'Exchange username and password for an access token and a refresh token',
        description:
          'Failed attempts are counted per username and per client address; over the limit the answer is 429 ' +
          'with Retry-After, whatever the password, until the lockout ends.',
        body: loginRequestSchema,
        response: {
          200: tokenResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          429: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      // request.ip is the socket's address unless trusted proxies are configured (app.ts).
      const address = addressKey(request.ip);
      const verdict = await throttle.charge(username, address);
      if (!verdict.allowed) {
        const seconds = Math.max(1, Math.ceil((verdict.retryAt.getTime() - now().getTime()) / 1000));
        throw tooManyRequests(retryMessage(verdict.retryAt, seconds), seconds);
      }
      const user = await findUserByUsername(db, username);
      if (!user) {
        await burnVerification(password);
        throw unauthorized('invalid username or password');
      }
      // A deactivated user is told the same as a wrong password: the answer names no account state.
      if (!(await verifyPassword(user.passwordHash, password)) || !user.active)
        throw unauthorized('invalid username or password');
      await throttle.succeeded(username, address);
      const session = await openSession(db, user.id, refreshTokenTtlSeconds);
      return tokenResponse(user, session.refreshToken, session.sessionId);
    },
  );

  app.post(
    '/api/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        operationId: 'refreshToken',
        security: [],
        summary: 'Spend a refresh token for a new access token and a new refresh token (rotation)',
        body: refreshRequestSchema,
        response: { 200: tokenResponseSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request) => {
      const result = await rotateRefreshToken(db, request.body.refreshToken, refreshTokenTtlSeconds);
      if (!result.ok) throw unauthorized('invalid or expired refresh token');
      const user = await findUserById(db, result.userId);
      if (!user?.active) throw unauthorized('invalid or expired refresh token');
      return tokenResponse(user, result.token, result.sessionId);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        operationId: 'logout',
        security: [],
        summary:
          "End the refresh token's session: its refresh tokens, the access tokens issued from them, its event streams",
        description:
          'Holding the refresh token proves the session, so an expired access token does not stop a sign-out. ' +
          'An unknown or already revoked token gets the same answer (RFC 7009).',
        body: logoutRequestSchema,
        response: { 200: logoutResponseSchema, 400: apiErrorSchema },
      },
    },
    async (request) => {
      await revokeFamilyOf(db, request.body.refreshToken);
      return { signedOut: true as const };
    },
  );
};
