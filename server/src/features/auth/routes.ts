import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  loginRequestSchema,
  refreshRequestSchema,
  tokenResponseSchema,
  type TokenResponse,
} from '../../../../shared/api/auth';
import { apiErrorSchema } from '../../../../shared/api/errors';
import type { AccessTokens } from '../../auth/access-token';
import { burnVerification, verifyPassword } from '../../auth/passwords';
import type { Database } from '../../db/types';
import { unauthorized } from '../../http/api-error';
import { newRefreshToken, rotateRefreshToken, storeRefreshToken } from './refresh-tokens';
import { findUserById, findUserByUsername, publicUser, type UserRow } from './users-repo';

export interface AuthPluginOptions {
  db: Database;
  tokens: AccessTokens;
  refreshTokenTtlSeconds: number;
}

export const authRoutes: FastifyPluginAsyncZod<AuthPluginOptions> = async (
  app,
  { db, tokens, refreshTokenTtlSeconds },
) => {
  async function tokenResponse(user: UserRow, refreshToken: string): Promise<TokenResponse> {
    const pub = publicUser(user);
    return {
      accessToken: await tokens.issue({ id: pub.id, username: pub.username, roles: pub.roles }),
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
        body: loginRequestSchema,
        response: { 200: tokenResponseSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const user = await findUserByUsername(db, username);
      if (!user) {
        await burnVerification(password);
        throw unauthorized('invalid username or password');
      }
      if (!(await verifyPassword(user.passwordHash, password)))
        throw unauthorized('invalid username or password');
      const refreshToken = newRefreshToken();
      await storeRefreshToken(db, refreshToken, user.id, refreshTokenTtlSeconds);
      return tokenResponse(user, refreshToken);
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
      if (!user) throw unauthorized('invalid or expired refresh token');
      return tokenResponse(user, result.token);
    },
  );
};
