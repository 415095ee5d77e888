import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  calibrationIdParamsSchema,
  calibrationResponseSchema,
  createCalibrationBodySchema,
  figuresQuerySchema,
  figuresResponseSchema,
} from '@shared/api/qa-calibration';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { createRound, readRound } from './calibration-repo';
import { qaFigures } from './figures-repo';

export interface QaCalibrationPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;
const security = [{ bearerAuth: [] }];

/** Calibration rounds (blind, scored through the review routes) and the QA figures. */
export const qaCalibrationRoutes: FastifyPluginAsyncZod<QaCalibrationPluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  app.post(
    '/api/qa/calibrations',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'createQaCalibration',
        summary: 'Open a blind calibration round: every reviewer scores every item',
        security,
        body: createCalibrationBodySchema,
        response: { 200: calibrationResponseSchema, ...errors },
      },
    },
    async (request) => {
      const round = await createRound(db, currentUser(request), request.body);
      await sequencer
        .kick()
        .catch((error: unknown) => request.log.error({ err: error }, 'sequencer pass failed'));
      return { round };
    },
  );

  app.get(
    '/api/qa/calibrations/:id',
    {
      onRequest: requireUser(tokens, { roles: ['qa', 'lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'getQaCalibration',
        summary: "A round's progress; every score and the agreement (kappa) once all are in",
        security,
        params: calibrationIdParamsSchema,
        response: { 200: calibrationResponseSchema, ...errors, 404: apiErrorSchema },
      },
    },
    async (request) => ({ round: await readRound(db, currentUser(request), request.params.id) }),
  );

  app.get(
    '/api/qa/figures',
    {
      onRequest: requireUser(tokens, { roles: ['qa', 'lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'getQaFigures',
        summary: 'Accuracy, critical-error rate, first-pass yield and rework per operator and module',
        security,
        querystring: figuresQuerySchema,
        response: { 200: figuresResponseSchema, ...errors },
      },
    },
    async (request) => ({
      ...request.query,
      rows: await qaFigures(db, request.query.from, request.query.to),
    }),
  );
};
