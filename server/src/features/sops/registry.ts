import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleFor } from '@shared/sop/engine';
import { sopModuleSchema, type SopModule } from '@shared/sop/module';
import { formatSopProblem } from '@shared/sop/parse';
import { canonicalJson } from '@shared/sop/versioning';
import type { Database, Queryable } from '../../db/types';
import { refreshWorkTypes } from '../certification/work-types';
import { loadSopFolder } from './load-folder';

/**
 * The modules that ship with the product: `LEDGERDESK_SOPS_DIR`, else the `sops/` folder of the
 * nearest ancestor of this file (the source tree, or the bundle under node_modules/.cache).
 */
export function shippedSopsDir(): string {
  if (process.env.LEDGERDESK_SOPS_DIR) return process.env.LEDGERDESK_SOPS_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'sops', 'schema', 'module.schema.json'))) return join(dir, 'sops');
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'sops');
    dir = parent;
  }
}

export class SopVersionChangedError extends Error {
  constructor(id: string, version: string) {
    super(
      `SOP ${id} ${version} is already published with different content; a published version never changes, so give the edited module a new version`,
    );
    this.name = 'SopVersionChangedError';
  }
}

/**
 * Publishes module versions: inserted once, immutable after (trigger). The same content again is
 * a no-op; other content under a published version throws. Answers the versions newly inserted.
 */
export async function insertPublished(
  q: Queryable,
  modules: readonly SopModule[],
  publishedBy: string,
): Promise<SopModule[]> {
  const added: SopModule[] = [];
  for (const m of modules) {
    const content = canonicalJson(m);
    const hash = createHash('sha256').update(content).digest('hex');
    const inserted = await q.query<{ content_hash: string }>(
      `INSERT INTO sop_modules (id, version, title, applies_to, content, content_hash, published_by)
       VALUES ($1, $2, $3, $4::text[], $5::jsonb, $6, $7)
       ON CONFLICT (id, version) DO NOTHING
       RETURNING content_hash`,
      [m.id, m.version, m.title, [...m.appliesTo], content, hash, publishedBy],
    );
    if (inserted.length > 0) {
      added.push(m);
      continue;
    }
    const existing = await q.query<{ content_hash: string }>(
      'SELECT content_hash FROM sop_modules WHERE id = $1 AND version = $2',
      [m.id, m.version],
    );
    if (existing[0]?.content_hash !== hash) throw new SopVersionChangedError(m.id, m.version);
  }
  return added;
}

/**
 * Published SOP module versions. Every version stays (a result names the version it followed
 * and is validated against exactly that one); new work uses the newest version for its type.
 * Held in memory after start; a version another server published since is read on demand.
 */
export class SopRegistry {
  private readonly byKey = new Map<string, SopModule>();
  private revisionValue = '';
  private retiredList: { moduleId: string; version: string }[] = [];

  private constructor(private readonly db: Database) {}

  /** Publishes the shipped modules not yet in the database, then loads every version. */
  static async open(db: Database, dir: string = shippedSopsDir()): Promise<SopRegistry> {
    const { modules, problems } = loadSopFolder(dir);
    if (problems.length) {
      throw new Error(
        `the SOP modules in ${dir} are not valid:\n${problems.map(formatSopProblem).join('\n')}`,
      );
    }
    const registry = new SopRegistry(db);
    // A shipped new version re-derives who may work its types (a new major needs re-certifying).
    const added = await insertPublished(db, modules, 'system');
    if (added.length) await refreshWorkTypes(db, { types: added.flatMap((m) => m.appliesTo), userIds: null });
    await registry.reload();
    return registry;
  }

  async publish(modules: readonly SopModule[], publishedBy: string): Promise<void> {
    await insertPublished(this.db, modules, publishedBy);
  }

  /**
   * Picks up versions published since the last look. Every client asks on every sync cycle, so
   * only the hashes are read each time; the modules themselves only when the set changed.
   * `q`: the caller's transaction when there is one (PGlite has a single connection).
   */
  async reload(q: Queryable = this.db): Promise<void> {
    // A retirement changes what clients should start new items on, so it changes the revision too.
    const keys = await q.query<{ content_hash: string }>(
      `SELECT content_hash FROM (SELECT content_hash, id, version FROM sop_modules
         UNION ALL SELECT 'retired ' || module_id || '@' || version, module_id, version FROM sop_retirements) k
       ORDER BY id, version, content_hash`,
    );
    const revision = createHash('sha256')
      .update(keys.map((r) => r.content_hash).join(','))
      .digest('hex')
      .slice(0, 16);
    if (revision === this.revisionValue) return;
    const rows = await q.query<{ content: unknown }>('SELECT content FROM sop_modules ORDER BY id, version');
    const retired = await q.query<{ module_id: string; version: string }>(
      'SELECT module_id, version FROM sop_retirements ORDER BY module_id, version',
    );
    this.retiredList = retired.map((r) => ({ moduleId: r.module_id, version: r.version }));
    this.byKey.clear();
    for (const r of rows) {
      const m = sopModuleSchema.parse(r.content);
      this.byKey.set(`${m.id}@${m.version}`, m);
    }
    this.revisionValue = revision;
  }

  get revision(): string {
    return this.revisionValue;
  }

  /** Versions retired: still served (in-flight items follow them), never started on. */
  retired(): { moduleId: string; version: string }[] {
    return this.retiredList;
  }

  all(): SopModule[] {
    return [...this.byKey.values()];
  }

  /** Exactly the version a result names; null when it was never published. */
  async get(id: string, version: string, q: Queryable = this.db): Promise<SopModule | null> {
    const key = `${id}@${version}`;
    if (!this.byKey.has(key)) await this.reload(q);
    return this.byKey.get(key) ?? null;
  }

  newestFor(type: string): SopModule | null {
    return moduleFor(this.all(), type);
  }
}
