import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import { DRILL_ID_LIMIT, kpiDrillQuerySchema, kpiDrillSchema, type KpiDrill } from '@shared/kpis/drill';
import type { ExceptionFilter } from '@shared/kpis/filters';
import type { AccessTokens } from '../../auth/access-token';
import { requireUser } from '../../auth/authenticate';
import type { Database, Queryable } from '../../db/types';
import { exceptionFilterConditions } from '../exports/exception-filter-sql';
import { Params, where } from './scope';

export interface KpiDrillPluginOptions {
  db: Database;
  tokens: AccessTokens;
}

/**
 * The ids behind a figure, read with the same conditions as the exceptions export, so the queue
 * a lead drills into and the file they export hold the same items. The desk's queue filters its
 * local copy by these ids; the total says when there are more than it shows.
 */
export async function drillIds(db: Queryable, filter: ExceptionFilter): Promise<KpiDrill> {
  const p = new Params();
  const conds = where(exceptionFilterConditions(filter, p));
  const [ids, count] = await Promise.all([
    db.query<{ id: string }>(
      `SELECT e.id FROM exceptions e ${conds} ORDER BY e.id LIMIT ${DRILL_ID_LIMIT}`,
      p.values,
    ),
    db.query<{ n: string }>(`SELECT count(*)::text AS n FROM exceptions e ${conds}`, p.values),
  ]);
  return { ids: ids.map((r) => r.id), total: Number(count[0]?.n ?? 0) };
}

/** Read-only, leads and admins (the dashboard's readers): nothing audited. */
export const kpiDrillRoutes: FastifyPluginAsyncZod<KpiDrillPluginOptions> = async (app, { db, tokens }) => {
  app.get(
    '/api/kpis/drill',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['kpis'],
        operationId: 'getKpiDrill',
        summary: 'The exception ids behind a KPI figure (its drill-down filter), first 1,000 and the total',
        security: [{ bearerAuth: [] }],
        querystring: kpiDrillQuerySchema,
        response: { 200: kpiDrillSchema, 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (request) => drillIds(db, request.query.filter),
  );
};
