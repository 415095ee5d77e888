import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  accountMappingBodySchema,
  accountMappingResponseSchema,
  accountMappingsResponseSchema,
  reconRunDetailSchema,
  reconRunParamsSchema,
  reconRunsResponseSchema,
  runReconBodySchema,
  runReconResponseSchema,
  skuMappingBodySchema,
  skuMappingResponseSchema,
  skuMappingsResponseSchema,
} from '@shared/api/recon';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { listAccountMappings, listSkuMappings, saveAccountMapping, saveSkuMapping } from './mappings-repo';
import { runReconciliation } from './run';
import { listRuns, runDetail } from './runs-repo';
import { notFound } from '../../http/api-error';

export interface ReconPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;
const LEADS = { roles: ['lead', 'admin'] } as const;

/** Mapping tables and reconciliation runs: leads and admins (the customer map is ours to keep). */
export const reconRoutes: FastifyPluginAsyncZod<ReconPluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  // Seal audit rows and publish feed rows now rather than at the next timed pass.
  const kick = async (log: { error: (o: object, m: string) => void }): Promise<void> => {
    await sequencer.kick().catch((error: unknown) => log.error({ err: error }, 'sequencer pass failed'));
  };

  app.get(
    '/api/recon/mappings/accounts',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['recon'],
        operationId: 'listAccountMappings',
        summary: 'Partner account to customer mappings',
        security: [{ bearerAuth: [] }],
        response: { 200: accountMappingsResponseSchema, ...errors },
      },
    },
    async () => ({ mappings: await listAccountMappings(db) }),
  );

  app.put(
    '/api/recon/mappings/accounts',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['recon'],
        operationId: 'saveAccountMapping',
        summary: 'Add or change a partner account to customer mapping (audited)',
        security: [{ bearerAuth: [] }],
        body: accountMappingBodySchema,
        response: { 200: accountMappingResponseSchema, ...errors },
      },
    },
    async (request) => {
      const saved = await saveAccountMapping(db, currentUser(request), request.body);
      await kick(request.log);
      return saved;
    },
  );

  app.get(
    '/api/recon/mappings/skus',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['recon'],
        operationId: 'listSkuMappings',
        summary: 'Partner product and dimension to SKU mappings',
        security: [{ bearerAuth: [] }],
        response: { 200: skuMappingsResponseSchema, ...errors },
      },
    },
    async () => ({ mappings: await listSkuMappings(db) }),
  );

  app.put(
    '/api/recon/mappings/skus',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['recon'],
        operationId: 'saveSkuMapping',
        summary: 'Add or change a partner product (and dimension) to SKU mapping (audited)',
        security: [{ bearerAuth: [] }],
        body: skuMappingBodySchema,
        response: { 200: skuMappingResponseSchema, ...errors },
      },
    },
    async (request) => {
      const saved = await saveSkuMapping(db, currentUser(request), request.body);
      await kick(request.log);
      return saved;
    },
  );

  app.post(
    '/api/recon/runs',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['recon'],
        operationId: 'runReconciliation',
        summary: "Reconcile a month's staged partner and internal data; answers the counts",
        security: [{ bearerAuth: [] }],
        body: runReconBodySchema,
        response: { 200: runReconResponseSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const run = await runReconciliation(db, {
        period: request.body.period,
        runBy: user.id,
        actorId: user.id,
      });
      await kick(request.log);
      return { run };
    },
  );

  app.get(
    '/api/recon/runs',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['recon'],
        operationId: 'listReconRuns',
        summary: 'Finished reconciliation runs, newest first, with their counts',
        security: [{ bearerAuth: [] }],
        response: { 200: reconRunsResponseSchema, ...errors },
      },
    },
    async () => ({ runs: await listRuns(db) }),
  );

  app.get(
    '/api/recon/runs/:id',
    {
      onRequest: requireUser(tokens, LEADS),
      schema: {
        tags: ['recon'],
        operationId: 'getReconRun',
        summary: 'One run: what it opened, updated and closed, and the pairings it suggests',
        security: [{ bearerAuth: [] }],
        params: reconRunParamsSchema,
        response: { 200: reconRunDetailSchema, ...errors, 404: apiErrorSchema },
      },
    },
    async (request) => {
      const detail = await runDetail(db, request.params.id);
      if (!detail) throw notFound(`no finished reconciliation run ${request.params.id}`);
      return detail;
    },
  );
};
