import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { conflictsQuerySchema, conflictsResponseSchema } from '@shared/api/conflicts';
import { apiErrorSchema } from '@shared/api/errors';
import type { AccessTokens } from '../../auth/access-token';
import { requireUser } from '../../auth/authenticate';
import type { Database } from '../../db/types';
import { listSuperseded } from './repo';

export interface ConflictsPluginOptions {
  db: Database;
  tokens: AccessTokens;
}

export const conflictRoutes: FastifyPluginAsyncZod<ConflictsPluginOptions> = async (app, { db, tokens }) => {
  app.get(
    '/api/conflicts',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['conflicts'],
        operationId: 'listConflicts',
        summary: 'Superseded submissions: results pushed under a lost lease, kept whole for review',
        security: [{ bearerAuth: [] }],
        querystring: conflictsQuerySchema,
        response: {
          200: conflictsResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
        },
      },
    },
    async (request) => listSuperseded(db, request.query),
  );
};
