import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '@shared/api/errors';
import { exportParamsSchema, exportQuerySchema } from '@shared/exports/exports';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { exportFile } from './export-file';

export interface ExportPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

/** Spreadsheet exports for leads and admins; every download is audited. */
export const exportRoutes: FastifyPluginAsyncZod<ExportPluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  app.get(
    '/api/exports/:kind',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      exposeHeadRoute: false,
      schema: {
        tags: ['exports'],
        operationId: 'downloadExport',
        summary: 'Exceptions, results, KPIs, QA draws or the audit trail as xlsx or CSV, filtered',
        description:
          'Text cells that a spreadsheet could read as a formula are prefixed with an apostrophe; amounts are numbers when 15 significant digits hold them exactly, else exact text, with the currency in its own column.',
        security: [{ bearerAuth: [] }],
        params: exportParamsSchema,
        querystring: exportQuerySchema,
        response: {
          200: z.string().describe('the file bytes'),
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const file = await exportFile(db, currentUser(request).id, request.params.kind, request.query);
      await sequencer
        .kick()
        .catch((error: unknown) => request.log.error({ err: error }, 'sequencer pass failed'));
      // Fastify sends a Buffer as it is (no serializer); the 200 schema only documents it.
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(file.bytes as unknown as string);
    },
  );
};
