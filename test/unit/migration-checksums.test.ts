import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A shipped migration never changes: a desk or a server that already ran it would not run it
 * again, so an edit would leave two kinds of database under one version number. Every migration
 * file, desktop and server, is listed with its SHA-256 in LIST (sha256sum's format); a file that
 * differs from its line fails here. A new migration is its own file plus one line in LIST.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const LIST = 'test/support/migration-checksums.sha256';
const FOLDERS = ['server/src/db/migrations', 'electron/services/store/migrations'];
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.ts$/;

const sha256 = (path: string): string =>
  createHash('sha256')
    .update(readFileSync(join(ROOT, path)))
    .digest('hex');

const listed = new Map(
  readFileSync(join(ROOT, LIST), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [hash, path] = line.split(/\s+\*?/);
      return [path!, hash!] as const;
    }),
);
const files = FOLDERS.flatMap((folder) =>
  readdirSync(join(ROOT, folder))
    .filter((name) => MIGRATION_FILE.test(name))
    .map((name) => `${folder}/${name}`),
);

describe('shipped migrations', () => {
  it.each(files)('%s is listed with its checksum', (path) => {
    expect(
      listed.get(path),
      `new migration ${path}: once it is final, add its line with \`sha256sum ${path} >> ${LIST}\``,
    ).toBeDefined();
    expect(
      sha256(path),
      `${path} was shipped and must not change (its SHA-256 differs from ${LIST}): add the next migration instead`,
    ).toBe(listed.get(path));
  });

  it('lists no migration that is gone', () => {
    expect([...listed.keys()].filter((path) => !files.includes(path))).toEqual([]);
  });
});
