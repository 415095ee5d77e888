import { sopModuleSchema, type SopModule } from '@shared/sop/module';
import { compareSemver, versionProblem } from '@shared/sop/versioning';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { LOCK_SOP_LIBRARY } from '../../db/locks';
import type { Database, Queryable } from '../../db/types';
import { conflict, notFound } from '../../http/api-error';
import { refreshWorkTypes } from '../certification/work-types';
import { insertPublished } from './registry';

/**
 * The trainers' library: drafts (checked, not live), publishing a draft into the immutable
 * `sop_modules`, and retiring a published version. Every change is audited in its transaction.
 */

export async function publishedVersions(q: Queryable, moduleId: string): Promise<SopModule[]> {
  const rows = await q.query<{ content: unknown }>('SELECT content FROM sop_modules WHERE id = $1', [
    moduleId,
  ]);
  return rows
    .map((r) => sopModuleSchema.parse(r.content))
    .sort((a, b) => compareSemver(a.version, b.version));
}

async function draftVersions(q: Queryable, moduleId: string): Promise<SopModule[]> {
  const rows = await q.query<{ content: unknown }>('SELECT content FROM sop_drafts WHERE module_id = $1', [
    moduleId,
  ]);
  return rows
    .map((r) => sopModuleSchema.parse(r.content))
    .sort((a, b) => compareSemver(a.version, b.version));
}

/** A version as a draft or as published (drafts first: a version is only ever one of them). */
export async function findVersion(
  q: Queryable,
  moduleId: string,
  version: string,
): Promise<SopModule | null> {
  const all = [...(await draftVersions(q, moduleId)), ...(await publishedVersions(q, moduleId))];
  return all.find((m) => m.version === version) ?? null;
}

/** The newest version of a module, draft or published: what a single uploaded file amends. */
export async function newestVersion(q: Queryable, moduleId: string): Promise<SopModule | null> {
  const all = [...(await draftVersions(q, moduleId)), ...(await publishedVersions(q, moduleId))];
  return all.sort((a, b) => compareSemver(a.version, b.version)).pop() ?? null;
}

/** Stores a checked module as a draft (replacing a draft of the same version). */
export async function saveDraft(
  db: Database,
  user: AuthUser,
  module: SopModule,
  source: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const published = await publishedVersions(tx, module.id);
    if (published.some((m) => m.version === module.version)) {
      throw conflict(
        `${module.id} ${module.version} is already published; a published version never changes, so give the edited module a new version`,
      );
    }
    const problem = versionProblem(published.pop() ?? null, module);
    if (problem) throw conflict(`version: ${problem}`);
    await tx.query(
      `INSERT INTO sop_drafts (module_id, version, title, applies_to, content, source, uploaded_by)
       VALUES ($1, $2, $3, $4::text[], $5::jsonb, $6, $7)
       ON CONFLICT (module_id, version) DO UPDATE SET title = EXCLUDED.title, applies_to = EXCLUDED.applies_to,
         content = EXCLUDED.content, source = EXCLUDED.source, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()`,
      [
        module.id,
        module.version,
        module.title,
        [...module.appliesTo],
        JSON.stringify(module),
        source,
        user.id,
      ],
    );
    await appendAudit(tx, [
      {
        actorId: user.id,
        action: 'sop.loaded',
        entity: 'sop',
        entityId: `${module.id}@${module.version}`,
        details: { source },
      },
    ]);
  });
}

/**
 * Publishes a draft: semver checked against the newest published version again (another trainer
 * may have published since the upload), each exception type it applies to must not be another
 * module's, and the operators' work types for its types are rebuilt (a new major withholds new
 * items from everyone not yet certified on it; items already leased stay with their holders).
 */
export async function publishDraft(
  db: Database,
  user: AuthUser,
  moduleId: string,
  version: string,
): Promise<SopModule> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_SOP_LIBRARY]);
    const rows = await tx.query<{ content: unknown }>(
      'SELECT content FROM sop_drafts WHERE module_id = $1 AND version = $2 FOR UPDATE',
      [moduleId, version],
    );
    if (!rows[0]) throw notFound(`no draft ${moduleId} ${version}`);
    const module = sopModuleSchema.parse(rows[0].content);
    const published = await publishedVersions(tx, moduleId);
    const problem = versionProblem(published[published.length - 1] ?? null, module);
    if (problem) throw conflict(`version: ${problem}`);
    const owners = await tx.query<{ id: string; type: string }>(
      `SELECT DISTINCT m.id, t.type FROM sop_modules m CROSS JOIN LATERAL unnest(m.applies_to) AS t(type)
        WHERE m.id <> $1 AND t.type = ANY($2::text[])
          AND NOT EXISTS (SELECT 1 FROM sop_retirements r WHERE r.module_id = m.id AND r.version = m.version)`,
      [moduleId, [...module.appliesTo]],
    );
    if (owners[0])
      throw conflict(`appliesTo: exception type ${owners[0].type} already has module ${owners[0].id}`);
    await insertPublished(tx, [module], user.id);
    await tx.query('DELETE FROM sop_drafts WHERE module_id = $1 AND version = $2', [moduleId, version]);
    const previous = published[published.length - 1];
    const types = [...new Set([...module.appliesTo, ...(previous?.appliesTo ?? [])])];
    await refreshWorkTypes(tx, { types, userIds: null });
    await appendAudit(tx, [
      {
        actorId: user.id,
        action: 'sop.published',
        entity: 'sop',
        entityId: `${moduleId}@${version}`,
        details: { previous: previous?.version ?? null, appliesTo: module.appliesTo },
      },
    ]);
    return module;
  });
}

/** Retires a published version for new items; at least one version of the module stays current. */
export async function retireVersion(
  db: Database,
  user: AuthUser,
  input: { moduleId: string; version: string; reason: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_SOP_LIBRARY]);
    const published = await publishedVersions(tx, input.moduleId);
    const target = published.find((m) => m.version === input.version);
    if (!target) throw notFound(`no published version ${input.moduleId} ${input.version}`);
    const retired = await tx.query<{ version: string }>(
      'SELECT version FROM sop_retirements WHERE module_id = $1',
      [input.moduleId],
    );
    const gone = new Set(retired.map((r) => r.version));
    if (gone.has(input.version)) throw conflict(`${input.moduleId} ${input.version} is already retired`);
    if (!published.some((m) => m.version !== input.version && !gone.has(m.version))) {
      throw conflict(
        `${input.moduleId} ${input.version} is its only live version; publish the version that replaces it first`,
      );
    }
    await tx.query(
      'INSERT INTO sop_retirements (module_id, version, reason, retired_by) VALUES ($1, $2, $3, $4)',
      [input.moduleId, input.version, input.reason, user.id],
    );
    await refreshWorkTypes(tx, { types: target.appliesTo, userIds: null });
    await appendAudit(tx, [
      {
        actorId: user.id,
        action: 'sop.retired',
        entity: 'sop',
        entityId: `${input.moduleId}@${input.version}`,
        details: { reason: input.reason },
      },
    ]);
  });
}
