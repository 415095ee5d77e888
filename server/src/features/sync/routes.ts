import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../../../shared/api/errors';
import { pullQuerySchema, pullResponseSchema } from '../../../../shared/api/sync';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { Database } from '../../db/types';
import { readFeed } from './feed-repo';

export interface SyncPluginOptions {
  db: Database;
  tokens: AccessTokens;
}

export const syncRoutes: FastifyPluginAsyncZod<SyncPluginOptions> = async (app, { db, tokens }) => {
  app.get(
    '/api/sync/pull',
    {
      preHandler: requireUser(tokens),
      schema: {
        tags: ['sync'],
        summary: 'Page through the change feed after a cursor',
        security: [{ bearerAuth: [] }],
        querystring: pullQuerySchema,
        response: { 200: pullResponseSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request) => readFeed(db, currentUser(request), request.query.cursor, request.query.limit),
  );
};
