import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  sopDiffQuerySchema,
  sopDiffResponseSchema,
  sopLibraryResponseSchema,
  sopModuleParamsSchema,
  sopRetireRequestSchema,
  sopTemplateQuerySchema,
  sopVersionContentResponseSchema,
  sopVersionParamsSchema,
  sopVersionResponseSchema,
} from '@shared/api/sop-library';
import { exceptionTypeSchema } from '@shared/exception-types';
import { diffModules } from '@shared/sop/diff';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import { sealNow, TARGETED_ROUTE_ERRORS } from '../../http/route-helpers';
import type { Database } from '../../db/types';
import { notFound } from '../../http/api-error';
import { findVersion, publishDraft, retireVersion } from './library-repo';
import type { SopRegistry } from './registry';
import { moduleToWorkbook } from './workbook-write';

export interface SopLibraryPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
  sops: SopRegistry;
}

const LIBRARY_READERS = ['trainer', 'lead', 'admin'] as const;
type SopVersion = z.infer<typeof sopVersionResponseSchema>['version'];

export const sopLibraryRoutes: FastifyPluginAsyncZod<SopLibraryPluginOptions> = async (
  app,
  { db, tokens, sequencer, sops },
) => {
  /** After a publish or a retire: the registry re-read, the feed sealed for desks, the version answered. */
  const changed = async (
    log: Parameters<typeof sealNow>[1],
    m: { id: string; version: string; title: string; appliesTo: SopVersion['appliesTo'] },
    state: 'published' | 'retired',
  ): Promise<{ version: SopVersion }> => {
    await sops.reload();
    await sealNow(sequencer, log);
    return { version: { moduleId: m.id, version: m.version, title: m.title, appliesTo: m.appliesTo, state } };
  };

  app.get(
    '/api/sops/library',
    {
      onRequest: requireUser(tokens, { roles: [...LIBRARY_READERS] }),
      schema: {
        tags: ['sops'],
        operationId: 'sopLibrary',
        summary: 'Every module version: draft, published or retired',
        security: [{ bearerAuth: [] }],
        response: { 200: sopLibraryResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async () => {
      const rows = await db.query<{
        module_id: string;
        version: string;
        title: string;
        applies_to: string[];
        state: 'draft' | 'published' | 'retired';
      }>(
        `SELECT id AS module_id, version, title, applies_to,
                CASE WHEN EXISTS (SELECT 1 FROM sop_retirements r WHERE r.module_id = m.id AND r.version = m.version)
                     THEN 'retired' ELSE 'published' END AS state
           FROM sop_modules m
         UNION ALL
         SELECT module_id, version, title, applies_to, 'draft' FROM sop_drafts
         ORDER BY 1, 2`,
      );
      return {
        versions: rows.map((r) => ({
          moduleId: r.module_id,
          version: r.version,
          title: r.title,
          appliesTo: r.applies_to.map((t) => exceptionTypeSchema.parse(t)),
          state: r.state,
        })),
      };
    },
  );

  app.get(
    '/api/sops/:module/versions/:version',
    {
      onRequest: requireUser(tokens, { roles: [...LIBRARY_READERS] }),
      schema: {
        tags: ['sops'],
        operationId: 'sopVersion',
        summary: 'One version whole, a draft too: what a trainer previews before publishing',
        security: [{ bearerAuth: [] }],
        params: sopVersionParamsSchema,
        response: { 200: sopVersionContentResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => {
      const { module, version } = request.params;
      const m = await findVersion(db, module, version);
      if (!m) throw notFound(`version: no version ${module} ${version}`);
      await sops.reload();
      const published = sops.all().some((x) => x.id === module && x.version === version);
      const retired = sops.retired().some((r) => r.moduleId === module && r.version === version);
      return { state: retired ? 'retired' : published ? 'published' : 'draft', module: m } as const;
    },
  );

  app.post(
    '/api/sops/:module/versions/:version/publish',
    {
      onRequest: requireUser(tokens, { roles: ['trainer', 'admin'] }),
      schema: {
        tags: ['sops'],
        operationId: 'publishSop',
        summary: 'Publish a draft: immutable from now on, and sent to every desk by sync',
        security: [{ bearerAuth: [] }],
        params: sopVersionParamsSchema,
        response: { 200: sopVersionResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => {
      const m = await publishDraft(db, currentUser(request), request.params.module, request.params.version);
      return changed(request.log, m, 'published');
    },
  );

  app.post(
    '/api/sops/:module/versions/:version/retire',
    {
      onRequest: requireUser(tokens, { roles: ['trainer', 'admin'] }),
      schema: {
        tags: ['sops'],
        operationId: 'retireSop',
        summary: 'Retire a published version: no new item starts on it; items already started keep it',
        security: [{ bearerAuth: [] }],
        params: sopVersionParamsSchema,
        body: sopRetireRequestSchema,
        response: { 200: sopVersionResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => {
      const { module, version } = request.params;
      await retireVersion(db, currentUser(request), {
        moduleId: module,
        version,
        reason: request.body.reason,
      });
      const m = await findVersion(db, module, version);
      if (!m) throw notFound(`no version ${module} ${version}`);
      return changed(request.log, m, 'retired');
    },
  );

  app.get(
    '/api/sops/:module/diff',
    {
      onRequest: requireUser(tokens, { roles: [...LIBRARY_READERS] }),
      schema: {
        tags: ['sops'],
        operationId: 'diffSop',
        summary: 'Side-by-side differences of two versions (drafts or published)',
        security: [{ bearerAuth: [] }],
        params: sopModuleParamsSchema,
        querystring: sopDiffQuerySchema,
        response: { 200: sopDiffResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => {
      const { module } = request.params;
      const [from, to] = await Promise.all([
        findVersion(db, module, request.query.from),
        findVersion(db, module, request.query.to),
      ]);
      if (!from) throw notFound(`from: no version ${module} ${request.query.from}`);
      if (!to) throw notFound(`to: no version ${module} ${request.query.to}`);
      return diffModules(from, to);
    },
  );

  app.get(
    '/api/sops/template.xlsx',
    {
      onRequest: requireUser(tokens, { roles: [...LIBRARY_READERS] }),
      schema: {
        tags: ['sops'],
        operationId: 'sopWorkbookTemplate',
        summary: 'The SOP workbook template, filled in with a module (default: the first one)',
        security: [{ bearerAuth: [] }],
        querystring: sopTemplateQuerySchema,
        response: { 200: z.string().describe('the xlsx bytes'), ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      await sops.reload();
      const all = sops.all().sort((a, b) => (a.id < b.id ? -1 : 1));
      const wanted = request.query.module;
      const m = wanted
        ? sops
            .all()
            .filter((x) => x.id === wanted)
            .pop()
        : all[0];
      if (!m) throw notFound(`module: no published module ${wanted ?? ''}`.trim());
      return (
        reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${m.id}-${m.version}.xlsx"`)
          .header('cache-control', 'private, no-store')
          // Fastify sends a Buffer as it is (no serializer); the 200 schema only documents it.
          .send(moduleToWorkbook(m) as unknown as string)
      );
    },
  );
};
