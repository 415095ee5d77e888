import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../../../shared/api/errors';
import { usersQuerySchema, usersResponseSchema } from '../../../../shared/api/users';
import type { AccessTokens } from '../../auth/access-token';
import { requireUser } from '../../auth/authenticate';
import type { Database } from '../../db/types';
import { listTeam } from './repo';

export interface UsersPluginOptions {
  db: Database;
  tokens: AccessTokens;
}

export const userRoutes: FastifyPluginAsyncZod<UsersPluginOptions> = async (app, { db, tokens }) => {
  app.get(
    '/api/users',
    {
      preHandler: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['users'],
        operationId: 'listUsers',
        summary: 'Users and the exception types each may be allocated (whom a lead can hand work to)',
        security: [{ bearerAuth: [] }],
        querystring: usersQuerySchema,
        response: {
          200: usersResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
        },
      },
    },
    async (request) => ({ users: await listTeam(db, request.query.role) }),
  );
};
