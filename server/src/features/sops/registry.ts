import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moduleFor } from '@shared/sop/engine';
import { sopModuleSchema, type SopModule } from '@shared/sop/module';
import { formatSopProblem } from '@shared/sop/parse';
import type { Database, Queryable } from '../../db/types';
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

/** Key order fixed, so the same module always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
 * Published SOP module versions. Every version stays (a result names the version it followed
 * and is validated against exactly that one); new work uses the newest version for its type.
 * Held in memory after start; a version another server published since is read on demand.
 */
export class SopRegistry {
  private readonly byKey = new Map<string, SopModule>();
  private revisionValue = '';

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
    await registry.publish(modules, 'system');
    await registry.reload();
    return registry;
  }

  async publish(modules: readonly SopModule[], publishedBy: string): Promise<void> {
    for (const m of modules) {
      const content = canonicalJson(m);
      const hash = createHash('sha256').update(content).digest('hex');
      const inserted = await this.db.query<{ content_hash: string }>(
        `INSERT INTO sop_modules (id, version, title, applies_to, content, content_hash, published_by)
         VALUES ($1, $2, $3, $4::text[], $5::jsonb, $6, $7)
         ON CONFLICT (id, version) DO NOTHING
         RETURNING content_hash`,
        [m.id, m.version, m.title, [...m.appliesTo], content, hash, publishedBy],
      );
      if (inserted.length > 0) continue;
      const existing = await this.db.query<{ content_hash: string }>(
        'SELECT content_hash FROM sop_modules WHERE id = $1 AND version = $2',
        [m.id, m.version],
      );
      if (existing[0]?.content_hash !== hash) throw new SopVersionChangedError(m.id, m.version);
    }
  }

  /**
   * Picks up versions published since the last look. Every client asks on every sync cycle, so
   * only the hashes are read each time; the modules themselves only when the set changed.
   * `q`: the caller's transaction when there is one (PGlite has a single connection).
   */
  async reload(q: Queryable = this.db): Promise<void> {
    const keys = await q.query<{ content_hash: string }>(
      'SELECT content_hash FROM sop_modules ORDER BY id, version',
    );
    const revision = createHash('sha256')
      .update(keys.map((r) => r.content_hash).join(','))
      .digest('hex')
      .slice(0, 16);
    if (revision === this.revisionValue) return;
    const rows = await q.query<{ content: unknown }>('SELECT content FROM sop_modules ORDER BY id, version');
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
