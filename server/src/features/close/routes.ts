import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  closePeriodParamsSchema,
  closeReadinessSchema,
  closeSettingsSchema,
  explanationBodySchema,
  reopenBodySchema,
  signOffBodySchema,
} from '@shared/close/close';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { readiness } from './readiness';
import { explain, reopen, saveSettings, signOff } from './signoff-repo';

export interface ClosePluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;
const changeErrors = { ...errors, 404: apiErrorSchema, 409: apiErrorSchema } as const;
const leads = { roles: ['lead', 'admin'] as const };

/** Month-end close readiness, sign-offs, reopening and explanations (leads), settings (admins). */
export const closeRoutes: FastifyPluginAsyncZod<ClosePluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  // Seal the audit rows now rather than at the next pass.
  const seal = (log: { error: (o: object, m: string) => void }): Promise<void> =>
    sequencer
      .kick()
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, 'sequencer pass failed'));

  app.get(
    '/api/close/:period',
    {
      onRequest: requireUser(tokens, leads),
      schema: {
        tags: ['close'],
        operationId: 'getCloseReadiness',
        summary: 'Month-end close readiness of a period: sign-offs and every item that blocks it',
        security: [{ bearerAuth: [] }],
        params: closePeriodParamsSchema,
        response: { 200: closeReadinessSchema, ...errors },
      },
    },
    async (request) => readiness(db, request.params.period),
  );

  app.post(
    '/api/close/:period/sign-off',
    {
      onRequest: requireUser(tokens, leads),
      schema: {
        tags: ['close'],
        operationId: 'signOffClose',
        summary: "Preparer's or reviewer's sign-off (two different people); the reviewer's locks the period",
        security: [{ bearerAuth: [] }],
        params: closePeriodParamsSchema,
        body: signOffBodySchema,
        response: { 200: closeReadinessSchema, ...changeErrors },
      },
    },
    async (request) => {
      const out = await signOff(db, currentUser(request), request.params.period, request.body.as);
      await seal(request.log);
      return out;
    },
  );

  app.post(
    '/api/close/:period/reopen',
    {
      onRequest: requireUser(tokens, leads),
      schema: {
        tags: ['close'],
        operationId: 'reopenClose',
        summary: 'Reopen a prepared or locked period, with a reason; both sign-offs are needed again',
        security: [{ bearerAuth: [] }],
        params: closePeriodParamsSchema,
        body: reopenBodySchema,
        response: { 200: closeReadinessSchema, ...changeErrors },
      },
    },
    async (request) => {
      const out = await reopen(db, currentUser(request), request.params.period, request.body.reason);
      await seal(request.log);
      return out;
    },
  );

  app.post(
    '/api/close/:period/explanations',
    {
      onRequest: requireUser(tokens, leads),
      schema: {
        tags: ['close'],
        operationId: 'explainCloseItem',
        summary: 'Explain why a material exception of the period may stay unfinished at the close',
        security: [{ bearerAuth: [] }],
        params: closePeriodParamsSchema,
        body: explanationBodySchema,
        response: { 200: closeReadinessSchema, ...changeErrors },
      },
    },
    async (request) => {
      const out = await explain(db, currentUser(request), request.params.period, request.body);
      await seal(request.log);
      return out;
    },
  );

  app.put(
    '/api/close/settings',
    {
      onRequest: requireUser(tokens, { roles: ['admin'] }),
      schema: {
        tags: ['close'],
        operationId: 'putCloseSettings',
        summary: 'Set the feeds every period expects and the materiality threshold per currency',
        security: [{ bearerAuth: [] }],
        body: closeSettingsSchema,
        response: { 200: closeSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const out = await saveSettings(db, currentUser(request), request.body);
      await seal(request.log);
      return out;
    },
  );
};
