import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthResponseSchema } from '@shared/api/health';
import { apiErrorSchema } from '@shared/api/errors';
import { schemaVersion } from '../../db/migrate';
import type { Database } from '../../db/types';

export interface HealthPluginOptions {
  db: Database;
  version: string;
}

export const healthRoutes: FastifyPluginAsyncZod<HealthPluginOptions> = async (app, { db, version }) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['health'],
        operationId: 'getHealth',
        security: [],
        summary: 'Liveness, database kind and schema version',
        response: { 200: healthResponseSchema, 500: apiErrorSchema },
      },
    },
    // Reads the schema version on each call so a dead database connection shows up here.
    async () => ({
      status: 'ok' as const,
      version,
      database: db.kind,
      schemaVersion: await schemaVersion(db),
      time: new Date().toISOString(),
    }),
  );
};
