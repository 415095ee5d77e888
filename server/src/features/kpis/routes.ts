import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import { kpiQuerySchema } from '@shared/kpis/filters';
import { kpiReportSchema, myKpisSchema } from '@shared/kpis/report';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { Database } from '../../db/types';
import { scheduleKpiMerge } from './aggregates';
import { kpiReport, myKpis } from './report';

export interface KpiPluginOptions {
  db: Database;
  tokens: AccessTokens;
  now?: () => Date;
  /** How often the aggregates' delta rows are merged (default a minute; 0: never, tests). */
  kpiMergeEveryMs?: number;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;

/** The dashboard's figures (leads, admins) and an operator's own day. Read-only: nothing audited. */
export const kpiRoutes: FastifyPluginAsyncZod<KpiPluginOptions> = async (
  app,
  { db, tokens, now, kpiMergeEveryMs = 60_000 },
) => {
  const clock = now ?? (() => new Date());
  if (kpiMergeEveryMs > 0) {
    const stop = scheduleKpiMerge(db, kpiMergeEveryMs, (err) =>
      app.log.error({ err }, 'kpi aggregate merge failed'),
    );
    app.addHook('onClose', async () => stop());
  }
  app.get(
    '/api/kpis',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['kpis'],
        operationId: 'getKpis',
        summary: 'Every dashboard KPI for a period and scope, each with the drill-down filter behind it',
        security: [{ bearerAuth: [] }],
        querystring: kpiQuerySchema,
        response: { 200: kpiReportSchema, ...errors },
      },
    },
    async (request) => kpiReport(db, request.query, clock()),
  );

  app.get(
    '/api/kpis/me',
    {
      onRequest: requireUser(tokens, { roles: ['operator'] }),
      schema: {
        tags: ['kpis'],
        operationId: 'getMyKpis',
        summary: "The caller's own day: completed items, handle time, QA results",
        security: [{ bearerAuth: [] }],
        response: { 200: myKpisSchema, ...errors },
      },
    },
    async (request) => myKpis(db, currentUser(request).id, clock()),
  );
};
