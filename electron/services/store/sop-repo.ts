import { sopModuleSchema, type SopModule } from '@shared/sop/module';
import type { SqliteDatabase } from './database';

/** The SOP module versions this install has, for offline checklists. */
export interface SopRepo {
  /** Adds versions not yet held; a published version never changes, so held ones stay. */
  putAll(modules: readonly SopModule[]): number;
  get(id: string, version: string): SopModule | null;
  all(): SopModule[];
}

export function createSopRepo(db: SqliteDatabase): SopRepo {
  const insert = db.prepare<[string, string, string]>(
    'INSERT INTO sop_modules (id, version, content) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const select = db.prepare<[string, string], { content: string }>(
    'SELECT content FROM sop_modules WHERE id = ? AND version = ?',
  );
  const selectKeys = db.prepare<[], { id: string; version: string }>(
    'SELECT id, version FROM sop_modules ORDER BY id, version',
  );
  // Parsed once per version: a module is read on every checklist open and every resolve.
  const cache = new Map<string, SopModule>();
  const parse = (content: string): SopModule => {
    const m = sopModuleSchema.parse(JSON.parse(content));
    const key = `${m.id}@${m.version}`;
    const held = cache.get(key);
    if (held) return held;
    cache.set(key, m);
    return m;
  };
  function get(id: string, version: string): SopModule | null {
    const held = cache.get(`${id}@${version}`);
    if (held) return held;
    const row = select.get(id, version);
    return row ? parse(row.content) : null;
  }
  return {
    putAll(modules) {
      let added = 0;
      for (const m of modules) added += insert.run(m.id, m.version, JSON.stringify(m)).changes;
      return added;
    },
    get,
    all: () => selectKeys.all().flatMap((k) => get(k.id, k.version) ?? []),
  };
}
