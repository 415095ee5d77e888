import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  exceptionHistoryQuerySchema,
  exceptionHistorySchema,
  exceptionIdParamsSchema,
} from '@shared/api/exceptions';
import { exceptionNotesSchema } from '@shared/api/notes';
import { exceptionRecordSchema } from '@shared/exception';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { Database } from '../../db/types';
import { notFound } from '../../http/api-error';
import { exceptionHistory } from './history-repo';
import { exceptionNotes } from './notes-repo';
import { getException } from './repo';

export interface ExceptionsPluginOptions {
  db: Database;
  tokens: AccessTokens;
}

export const exceptionRoutes: FastifyPluginAsyncZod<ExceptionsPluginOptions> = async (
  app,
  { db, tokens },
) => {
  app.get(
    '/api/exceptions/:id',
    {
      onRequest: requireUser(tokens, { roles: ['operator', 'qa', 'lead', 'admin'] }),
      schema: {
        tags: ['exceptions'],
        operationId: 'getException',
        summary: 'One exception with its evidence',
        security: [{ bearerAuth: [] }],
        params: exceptionIdParamsSchema,
        response: {
          200: exceptionRecordSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          404: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const record = await getException(db, currentUser(request), request.params.id);
      // Out of scope answers the same as absent, so ids outside a user's scope are not probeable.
      if (!record) throw notFound(`no exception ${request.params.id}`);
      return record;
    },
  );

  app.get(
    '/api/exceptions/:id/notes',
    {
      onRequest: requireUser(tokens, { roles: ['operator', 'qa', 'lead', 'admin'] }),
      schema: {
        tags: ['exceptions'],
        operationId: 'getExceptionNotes',
        summary: "The item's notes, oldest first: author, time and text",
        security: [{ bearerAuth: [] }],
        params: exceptionIdParamsSchema,
        response: {
          200: exceptionNotesSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          404: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const notes = await exceptionNotes(db, currentUser(request), request.params.id);
      // Out of scope answers the same as absent, as GET /api/exceptions/:id does.
      if (!notes) throw notFound(`no exception ${request.params.id}`);
      return { notes };
    },
  );

  app.get(
    '/api/exceptions/:id/history',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['exceptions'],
        operationId: 'getExceptionHistory',
        summary: 'What happened to one exception, newest first: skips, reassigns, releases and why',
        security: [{ bearerAuth: [] }],
        params: exceptionIdParamsSchema,
        querystring: exceptionHistoryQuerySchema,
        response: {
          200: exceptionHistorySchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          404: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const entries = await exceptionHistory(db, request.params.id, request.query.limit);
      if (!entries) throw notFound(`no exception ${request.params.id}`);
      return { entries };
    },
  );
};
