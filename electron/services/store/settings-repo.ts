import type { z } from 'zod';
import type { SqliteDatabase } from './database';

/** Small JSON values under string keys: the session, the pull cursor, who owns the local data. */
export interface SettingsRepo {
  get<S extends z.ZodType>(key: string, schema: S): z.output<S> | null;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export function createSettingsRepo(db: SqliteDatabase): SettingsRepo {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');

  return {
    get(key, schema) {
      const row = select.get(key);
      if (!row) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(row.value);
      } catch {
        return null;
      }
      // A value written by an older app version that no longer fits reads as absent.
      const result = schema.safeParse(parsed);
      return result.success ? result.data : null;
    },
    set(key, value) {
      upsert.run(key, JSON.stringify(value));
    },
    delete(key) {
      remove.run(key);
    },
  };
}
