import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  certificationMatrixResponseSchema,
  practiceAttemptRequestSchema,
  practiceAttemptResponseSchema,
  sopModuleParamsSchema,
} from '@shared/api/sop-library';
import { scorePractice } from '@shared/sop/practice';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import { sealNow, TARGETED_ROUTE_ERRORS } from '../../http/route-helpers';
import type { Database } from '../../db/types';
import { conflict, notFound } from '../../http/api-error';
import { publishedVersions } from '../sops/library-repo';
import { certificationMatrix } from './matrix';
import { recordAttempt } from './repo';

export interface CertificationPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

export const certificationRoutes: FastifyPluginAsyncZod<CertificationPluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  app.post(
    '/api/practice/:module/attempts',
    {
      onRequest: requireUser(tokens, { roles: ['operator'] }),
      schema: {
        tags: ['certification'],
        operationId: 'practiceAttempt',
        summary: "Score the caller's answers to a module's exercises; passing certifies its major version",
        security: [{ bearerAuth: [] }],
        params: sopModuleParamsSchema,
        body: practiceAttemptRequestSchema,
        response: { 200: practiceAttemptResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const outcome = await db.transaction(async (tx) => {
        const retired = await tx.query<{ version: string }>(
          'SELECT version FROM sop_retirements WHERE module_id = $1',
          [request.params.module],
        );
        const live = (await publishedVersions(tx, request.params.module)).filter(
          (m) => !retired.some((r) => r.version === m.version),
        );
        const wanted = request.body.version;
        const module = wanted ? live.find((m) => m.version === wanted) : live[live.length - 1];
        if (!module)
          throw notFound(
            `no live published version of ${request.params.module}${wanted ? ` ${wanted}` : ''}`,
          );
        if (module.exerciseList.length === 0)
          throw conflict(`${module.id} ${module.version} has no exercises to certify on`);
        const result = scorePractice(module, request.body.exercises);
        const { newly } = await recordAttempt(tx, user.id, module, result, 'practice');
        return { ...result, certified: newly };
      });
      await sealNow(sequencer, request.log);
      return outcome;
    },
  );

  app.get(
    '/api/certifications/matrix',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'trainer', 'admin'] }),
      schema: {
        tags: ['certification'],
        operationId: 'certificationMatrix',
        summary: 'Operator x module certification, with who is due for re-certification',
        security: [{ bearerAuth: [] }],
        response: { 200: certificationMatrixResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => certificationMatrix(db, currentUser(request)),
  );
};
