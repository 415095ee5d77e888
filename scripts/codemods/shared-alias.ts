import { join } from 'node:path';
import { ROOT, rewriteFile, rootRelative, sourceFiles, targetOf } from './specifiers';

/**
 * Turns relative imports of another layer into the path aliases of tsconfig.json:
 * `../../../shared/money` -> `@shared/money`, and (outside that layer) `server/src/...` ->
 * `@server/...`, `electron/...` -> `@electron/...`, `scripts/...` -> `@scripts/...` when the
 * relative path climbs more than two folders. Safe to re-run (an alias is never rewritten), so
 * the lead can run it on files merged from other branches:
 *
 *   npx tsx scripts/codemods/shared-alias.ts [folder...]
 */
const ALIASES: { folder: string; alias: string; always: boolean }[] = [
  { folder: 'shared/', alias: '@shared/', always: true },
  { folder: 'server/src/', alias: '@server/', always: false },
  { folder: 'electron/', alias: '@electron/', always: false },
  { folder: 'scripts/', alias: '@scripts/', always: false },
];

const stripIndex = (p: string): string => p.replace(/\/index$/, '');

export function aliasFor(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const from = rootRelative(file);
  const target = targetOf(file, specifier);
  const climbs = specifier.split('/').filter((part) => part === '..').length;
  for (const { folder, alias, always } of ALIASES) {
    if (!target.startsWith(folder) || from.startsWith(folder)) continue;
    if (!always && climbs <= 2) return null;
    return stripIndex(`${alias}${target.slice(folder.length)}`);
  }
  return null;
}

const folders = process.argv.slice(2);
const roots = (
  folders.length > 0 ? folders : ['electron', 'renderer', 'server', 'test', 'scripts', 'bench']
).map((f) => join(ROOT, f));
let changed = 0;
for (const file of roots.flatMap(sourceFiles)) {
  if (rewriteFile(file, (specifier) => aliasFor(file, specifier))) changed += 1;
}
console.log(`shared-alias: ${changed} file(s) rewritten`);
