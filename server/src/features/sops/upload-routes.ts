import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import { sopUploadQuerySchema, sopUploadResponseSchema } from '@shared/api/sop-library';
import { formatSopProblem } from '@shared/sop/parse';
import { behaviourChanges } from '@shared/sop/versioning';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import { sealNow } from '../../http/route-helpers';
import type { Database } from '../../db/types';
import { ApiHttpError, invalidRequest } from '../../http/api-error';
import { newestVersion, publishedVersions, saveDraft } from './library-repo';
import { readUpload } from './upload';

/** An upload is a module, never a data set: 5 MiB is far above the largest shipped one. */
export const SOP_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

export interface SopUploadPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

export const sopUploadRoutes: FastifyPluginAsyncZod<SopUploadPluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SOP_UPLOAD_MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/sops/uploads',
    {
      onRequest: requireUser(tokens, { roles: ['trainer', 'admin'] }),
      bodyLimit: SOP_UPLOAD_MAX_BYTES,
      schema: {
        tags: ['sops'],
        operationId: 'uploadSop',
        summary: 'Load a module as a draft: a .zip of its folder, an .xlsx workbook, or one file of it',
        description:
          'The body is the file (at most 5 MiB). Every problem is listed in `issues`, each naming the file ' +
          'and line (or workbook sheet and row) and the field; nothing is stored unless there are none.',
        security: [{ bearerAuth: [] }],
        querystring: sopUploadQuerySchema,
        response: {
          201: sopUploadResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          409: apiErrorSchema,
          413: apiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const body: unknown = request.body;
      if (!(body instanceof Uint8Array) || body.length === 0) throw invalidRequest('body: the file is empty');
      const { name, path, module: moduleId } = request.query;
      const result = await readUpload({
        bytes: body,
        name,
        path,
        moduleId,
        base: (id) => newestVersion(db, id),
      });
      if (!result.module) {
        const issues = result.problems.slice(0, 200).map((p) => ({
          path: formatSopProblem({ ...p, message: '' }).replace(/: $/, ''),
          message: p.message,
        }));
        throw new ApiHttpError(
          400,
          'invalid_request',
          `${name}: ${result.problems.length} problem(s); nothing was stored. First: ${formatSopProblem(result.problems[0] ?? { file: name, line: null, field: '', message: 'unreadable' })}`,
          issues,
        );
      }
      const module = result.module;
      await saveDraft(db, user, module, `${result.kind}:${name}`);
      const newest = (await publishedVersions(db, module.id)).pop();
      await sealNow(sequencer, request.log);
      return reply.code(201).send({
        draft: {
          moduleId: module.id,
          version: module.version,
          title: module.title,
          appliesTo: module.appliesTo,
          state: 'draft',
        },
        kind: result.kind,
        changes: newest ? behaviourChanges(newest, module) : [],
      });
    },
  );
};
