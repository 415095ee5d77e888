import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  deactivateRequestSchema,
  deactivateResponseSchema,
  userIdParamsSchema,
  usersQuerySchema,
  usersResponseSchema,
} from '@shared/api/users';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { deactivateUser } from './deactivate';
import { listTeam } from './repo';
import { peopleRoutes } from './people-routes';

export interface UsersPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

export const userRoutes: FastifyPluginAsyncZod<UsersPluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  app.get(
    '/api/users',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
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
    async (request) => ({ users: await listTeam(db, request.query.role, currentUser(request)) }),
  );

  app.post(
    '/api/users/:id/deactivate',
    {
      onRequest: requireUser(tokens, { roles: ['admin'] }),
      schema: {
        tags: ['users'],
        operationId: 'deactivateUser',
        summary: 'Deactivate a user: no more sign-ins, and every session they hold ends now',
        security: [{ bearerAuth: [] }],
        params: userIdParamsSchema,
        body: deactivateRequestSchema,
        response: {
          200: deactivateResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          404: apiErrorSchema,
          409: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const result = await deactivateUser(db, currentUser(request), request.params.id, request.body.reason);
      // Seal the audit row now rather than on the next timer pass; the deactivation is already committed.
      await sequencer
        .kick()
        .catch((error: unknown) => request.log.error({ err: error }, 'sequencer pass failed'));
      return result;
    },
  );

  await app.register(peopleRoutes, { db, tokens, sequencer });
};
