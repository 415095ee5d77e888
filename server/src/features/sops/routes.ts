import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import { sopsQuerySchema, sopsResponseSchema } from '@shared/api/sops';
import type { AccessTokens } from '../../auth/access-token';
import { requireUser } from '../../auth/authenticate';
import type { SopRegistry } from './registry';

export interface SopsPluginOptions {
  tokens: AccessTokens;
  sops: SopRegistry;
}

export const sopRoutes: FastifyPluginAsyncZod<SopsPluginOptions> = async (app, { tokens, sops }) => {
  app.get(
    '/api/sops',
    {
      onRequest: requireUser(tokens),
      schema: {
        tags: ['sops'],
        operationId: 'listSops',
        summary: 'Every published SOP module version; `unchanged` when the caller already has this revision',
        security: [{ bearerAuth: [] }],
        querystring: sopsQuerySchema,
        response: { 200: sopsResponseSchema, 400: apiErrorSchema, 401: apiErrorSchema },
      },
    },
    async (request) => {
      await sops.reload();
      const unchanged = request.query.known === sops.revision;
      return {
        revision: sops.revision,
        unchanged,
        modules: unchanged ? [] : sops.all(),
        retired: sops.retired(),
      };
    },
  );
};
