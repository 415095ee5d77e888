import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  nextRequestSchema,
  nextResponseSchema,
  reassignRequestSchema,
  reassignResponseSchema,
  releaseRequestSchema,
  releaseResponseSchema,
  renewRequestSchema,
  renewResponseSchema,
} from '@shared/api/work';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { ServerConfig } from '../../config';
import type { Database } from '../../db/types';
import type { FeedSequencer } from '../../db/sequencer';
import { getNext } from './allocation';
import { reassignLease, releaseLease, renewLeases } from './lease-actions';

/**
 * How long get-next's feed rows may wait for the sequencer: the operator already has the items in
 * the answer, so only other readers' views lag. Measured: a pass per ~20 ms per process cost more
 * socket I/O than the get-next calls it served.
 */
const GET_NEXT_SEQUENCE_DELAY_MS = 250;

export interface WorkPluginOptions {
  db: Database;
  tokens: AccessTokens;
  config: ServerConfig;
  sequencer: FeedSequencer;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;

export const workRoutes: FastifyPluginAsyncZod<WorkPluginOptions> = async (
  app,
  { db, tokens, config, sequencer },
) => {
  /**
   * After a commit, number its feed rows and seal its audit rows. Release and reassign wait for it
   * (a pull right after the answer sees the change); get-next and renew do not: the operator has
   * the items in the answer, and get-next latency is what 200 operators feel. A failed pass is
   * retried by the sequencer's timer.
   */
  const logPassError = (error: unknown): void => app.log.error({ err: error }, 'sequencer pass failed');
  const sequence = async (wait: boolean): Promise<void> => {
    const pass = sequencer.kick().catch(logPassError);
    if (wait) await pass;
  };
  app.post(
    '/api/work/next',
    {
      onRequest: requireUser(tokens, { roles: ['operator'] }),
      // The items were validated as they left the rows (rowToRecord); a second zod pass over
      // every record and its evidence on the way out is CPU and garbage on the hot path. The
      // schema still documents the answer.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['work'],
        operationId: 'getNextWork',
        summary:
          'Lease the most urgent queued exceptions of the types the operator may work (prefetch: count > 1)',
        security: [{ bearerAuth: [] }],
        body: nextRequestSchema,
        response: { 200: nextResponseSchema, ...errors },
      },
    },
    async (request) => {
      const items = await getNext(db, currentUser(request), request.body, config);
      if (items.length > 0) sequencer.soon(GET_NEXT_SEQUENCE_DELAY_MS, logPassError);
      return { items };
    },
  );

  app.post(
    '/api/work/renew',
    {
      onRequest: requireUser(tokens, { roles: ['operator'] }),
      schema: {
        tags: ['work'],
        operationId: 'renewLeases',
        summary: "Extend the caller's leases; says which are lost and why",
        security: [{ bearerAuth: [] }],
        body: renewRequestSchema,
        response: { 200: renewResponseSchema, ...errors },
      },
    },
    async (request) => {
      const renewed = await renewLeases(
        db,
        currentUser(request),
        request.body.leaseIds,
        config.leaseTtlSeconds,
      );
      await sequence(false);
      return renewed;
    },
  );

  app.post(
    '/api/work/release',
    {
      onRequest: requireUser(tokens, { roles: ['operator', 'lead', 'admin'] }),
      schema: {
        tags: ['work'],
        operationId: 'releaseWork',
        summary: 'Put a leased exception back in the queue (its holder, or a lead)',
        security: [{ bearerAuth: [] }],
        body: releaseRequestSchema,
        response: { 200: releaseResponseSchema, ...errors, 404: apiErrorSchema, 409: apiErrorSchema },
      },
    },
    async (request) => {
      const exception = await releaseLease(
        db,
        currentUser(request),
        request.body.exceptionId,
        request.body.reason,
      );
      await sequence(true);
      return { exception };
    },
  );

  app.post(
    '/api/work/reassign',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['work'],
        operationId: 'reassignWork',
        summary: 'Lease an exception to another operator (a lead); the old holder loses it',
        security: [{ bearerAuth: [] }],
        body: reassignRequestSchema,
        response: { 200: reassignResponseSchema, ...errors, 404: apiErrorSchema, 409: apiErrorSchema },
      },
    },
    async (request) => {
      const item = await reassignLease(db, currentUser(request), request.body, config.leaseTtlSeconds);
      await sequence(true);
      return item;
    },
  );
};
