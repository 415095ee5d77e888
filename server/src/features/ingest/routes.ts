import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  INGEST_UPLOAD_MAX_BYTES,
  ingestBatchesQuerySchema,
  ingestBatchesResponseSchema,
  ingestRejectedSchema,
  ingestUploadQuerySchema,
  ingestUploadResponseSchema,
} from '@shared/api/ingest';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { Database } from '../../db/types';
import { invalidRequest } from '../../http/api-error';
import { listBatches } from './batches-repo';
import { importFile } from './import-file';

export interface IngestPluginOptions {
  db: Database;
  tokens: AccessTokens;
}

const LEADS = { roles: ['lead', 'admin'] } as const;
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;

/**
 * Partner and internal files from the app: the same all-or-nothing import as `npm run ingest`
 * (import-file.ts), one file per request as the raw body. Nothing reaches exceptions until a
 * reconciliation runs (recon routes).
 */
export const ingestRoutes: FastifyPluginAsyncZod<IngestPluginOptions> = async (app, { db, tokens }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: INGEST_UPLOAD_MAX_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/api/ingest/files',
    {
      onRequest: requireUser(tokens, LEADS),
      bodyLimit: INGEST_UPLOAD_MAX_BYTES,
      schema: {
        tags: ['ingest'],
        operationId: 'importFile',
        summary: 'Import one partner or internal file (CSV or xlsx), all or nothing',
        description:
          'The body is the file (at most 20 MiB). 201: imported as a new batch. 200: the same bytes were ' +
          'imported before (under any name); nothing changed. 422: the file was refused whole; every ' +
          'problem names file, row and column, and nothing was stored.',
        security: [{ bearerAuth: [] }],
        querystring: ingestUploadQuerySchema,
        response: {
          200: ingestUploadResponseSchema,
          201: ingestUploadResponseSchema,
          ...errors,
          413: apiErrorSchema,
          422: ingestRejectedSchema,
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const body: unknown = request.body;
      if (!(body instanceof Uint8Array) || body.length === 0) throw invalidRequest('body: the file is empty');
      const summary = await importFile(db, {
        fileName: request.query.name,
        bytes: body,
        ...(request.query.format ? { format: request.query.format } : {}),
        importedBy: user.id,
      });
      if (summary.outcome === 'rejected') {
        const first = summary.problems[0];
        const total = summary.problems.length + summary.moreProblems;
        return reply.code(422).send({
          error: 'invalid_request',
          message:
            `${summary.file}: ${total} problem(s); nothing was stored.` +
            (first ? ` First: row ${first.row}, ${first.column}: ${first.message}` : ''),
          problems: summary.problems,
          moreProblems: summary.moreProblems,
          format: summary.format,
        });
      }
      return reply.code(summary.outcome === 'imported' ? 201 : 200).send({ summary });
    },
  );

  app.get(
    '/api/ingest/batches',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['ingest'],
        operationId: 'listIngestBatches',
        summary: 'Imported files, newest first: format, rows, SHA-256, who, when, and whether reconciled',
        security: [{ bearerAuth: [] }],
        querystring: ingestBatchesQuerySchema,
        response: { 200: ingestBatchesResponseSchema, ...errors },
      },
    },
    async (request) => ({ batches: await listBatches(db, request.query.limit) }),
  );
};
