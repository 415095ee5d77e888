import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../../../shared/api/errors';
import {
  nextRequestSchema,
  nextResponseSchema,
  reassignRequestSchema,
  reassignResponseSchema,
  releaseRequestSchema,
  releaseResponseSchema,
  renewRequestSchema,
  renewResponseSchema,
} from '../../../../shared/api/work';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { ServerConfig } from '../../config';
import type { Database } from '../../db/types';
import { getNext } from './allocation';
import { reassignLease, releaseLease, renewLeases } from './lease-actions';

export interface WorkPluginOptions {
  db: Database;
  tokens: AccessTokens;
  config: ServerConfig;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;

export const workRoutes: FastifyPluginAsyncZod<WorkPluginOptions> = async (app, { db, tokens, config }) => {
  app.post(
    '/api/work/next',
    {
      preHandler: requireUser(tokens, { roles: ['operator'] }),
      schema: {
        tags: ['work'],
        operationId: 'getNextWork',
        summary: 'Lease the most urgent queued exceptions of the types the operator may work (prefetch: count > 1)',
        security: [{ bearerAuth: [] }],
        body: nextRequestSchema,
        response: { 200: nextResponseSchema, ...errors },
      },
    },
    async (request) => ({
      items: await getNext(db, currentUser(request), request.body, config),
    }),
  );

  app.post(
    '/api/work/renew',
    {
      preHandler: requireUser(tokens, { roles: ['operator'] }),
      schema: {
        tags: ['work'],
        operationId: 'renewLeases',
        summary: "Extend the caller's leases; says which are lost and why",
        security: [{ bearerAuth: [] }],
        body: renewRequestSchema,
        response: { 200: renewResponseSchema, ...errors },
      },
    },
    async (request) => renewLeases(db, currentUser(request), request.body.leaseIds, config.leaseTtlSeconds),
  );

  app.post(
    '/api/work/release',
    {
      preHandler: requireUser(tokens, { roles: ['operator', 'lead', 'admin'] }),
      schema: {
        tags: ['work'],
        operationId: 'releaseWork',
        summary: 'Put a leased exception back in the queue (its holder, or a lead)',
        security: [{ bearerAuth: [] }],
        body: releaseRequestSchema,
        response: { 200: releaseResponseSchema, ...errors, 404: apiErrorSchema, 409: apiErrorSchema },
      },
    },
    async (request) => ({
      exception: await releaseLease(db, currentUser(request), request.body.exceptionId, request.body.reason),
    }),
  );

  app.post(
    '/api/work/reassign',
    {
      preHandler: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['work'],
        operationId: 'reassignWork',
        summary: 'Lease an exception to another operator (a lead); the old holder loses it',
        security: [{ bearerAuth: [] }],
        body: reassignRequestSchema,
        response: { 200: reassignResponseSchema, ...errors, 404: apiErrorSchema, 409: apiErrorSchema },
      },
    },
    async (request) => reassignLease(db, currentUser(request), request.body, config.leaseTtlSeconds),
  );
};
