import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  drawIdParamsSchema,
  getDrawResponseSchema,
  runDrawBodySchema,
  runDrawResponseSchema,
} from '@shared/api/qa';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { readDraw, recordDraw } from './draws-repo';

export interface QaPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;

/**
 * QA sample draws. Leads and admins only: which items were sampled must stay unseen by the
 * operators whose work it is until the review (issue 15).
 */
export const qaRoutes: FastifyPluginAsyncZod<QaPluginOptions> = async (app, { db, tokens, sequencer }) => {
  app.post(
    '/api/qa/draws',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'runQaDraw',
        summary: "Draw the QA sample of a day's resolutions (seeded, recorded, audited)",
        security: [{ bearerAuth: [] }],
        body: runDrawBodySchema,
        response: { 200: runDrawResponseSchema, ...errors },
      },
    },
    async (request) => {
      const draw = await recordDraw(db, currentUser(request), request.body);
      // Seal the audit row now rather than at the next pass.
      await sequencer
        .kick()
        .catch((error: unknown) => request.log.error({ err: error }, 'sequencer pass failed'));
      return { draw };
    },
  );

  app.get(
    '/api/qa/draws/:id',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'getQaDraw',
        summary: 'A recorded QA draw, re-drawn from its recorded seed and input to show it reproduces',
        security: [{ bearerAuth: [] }],
        params: drawIdParamsSchema,
        response: { 200: getDrawResponseSchema, ...errors, 404: apiErrorSchema },
      },
    },
    async (request) => readDraw(db, request.params.id),
  );
};
