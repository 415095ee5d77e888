import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  approvalDecisionResponseSchema,
  approvalDecisionSchema,
  approvalIdParamsSchema,
  approvalsQuerySchema,
  approvalsResponseSchema,
} from '@shared/api/approvals';
import { apiErrorSchema } from '@shared/api/errors';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { decideApproval, listApprovals } from './repo';

export interface ApprovalsPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;

export const approvalRoutes: FastifyPluginAsyncZod<ApprovalsPluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  app.get(
    '/api/approvals',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['approvals'],
        operationId: 'listApprovals',
        summary: 'Resolutions above their SOP threshold: waiting for a lead, or decided',
        security: [{ bearerAuth: [] }],
        querystring: approvalsQuerySchema,
        response: { 200: approvalsResponseSchema, ...errors },
      },
    },
    async (request) => ({ approvals: await listApprovals(db, request.query) }),
  );

  app.post(
    '/api/approvals/:id/decision',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['approvals'],
        operationId: 'decideApproval',
        summary: 'Approve or reject a waiting resolution (never your own)',
        security: [{ bearerAuth: [] }],
        params: approvalIdParamsSchema,
        body: approvalDecisionSchema,
        response: {
          200: approvalDecisionResponseSchema,
          ...errors,
          404: apiErrorSchema,
          409: apiErrorSchema,
        },
      },
    },
    async (request) => {
      const approval = await decideApproval(db, currentUser(request), request.params.id, request.body);
      await sequencer
        .kick()
        .catch((error: unknown) => request.log.error({ err: error }, 'sequencer pass failed'));
      return { approval };
    },
  );
};
