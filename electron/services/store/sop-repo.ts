import { z } from 'zod';
import { sopModuleSchema, sopRefSchema, type SopModule, type SopRef } from '@shared/sop/module';
import type { SqliteDatabase } from './database';

/** The SOP module versions this install has, for offline checklists. */
export interface SopRepo {
  /** Adds versions not yet held; a published version never changes, so held ones stay. */
  putAll(modules: readonly SopModule[]): number;
  get(id: string, version: string): SopModule | null;
  all(): SopModule[];
  /** Replaces the versions the server retired (they stay held: items started on them keep them). */
  setRetired(refs: readonly SopRef[]): void;
  /** What a new item may start on: every held version the server has not retired. */
  live(): SopModule[];
}

/** In the settings table: a short list that the server sends whole each time the revision changes. */
const RETIRED_KEY = 'sops.retired';
const retiredSchema = z.array(sopRefSchema);

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
  const readRetired = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const writeRetired = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const all = (): SopModule[] => selectKeys.all().flatMap((k) => get(k.id, k.version) ?? []);
  return {
    putAll(modules) {
      let added = 0;
      for (const m of modules) added += insert.run(m.id, m.version, JSON.stringify(m)).changes;
      return added;
    },
    get,
    all,
    setRetired(refs) {
      writeRetired.run(RETIRED_KEY, JSON.stringify(refs));
    },
    live() {
      const row = readRetired.get(RETIRED_KEY);
      const parsed = row ? retiredSchema.safeParse(JSON.parse(row.value)) : null;
      const retired = new Set((parsed?.success ? parsed.data : []).map((r) => `${r.moduleId}@${r.version}`));
      return all().filter((m) => !retired.has(`${m.id}@${m.version}`));
    },
  };
}
