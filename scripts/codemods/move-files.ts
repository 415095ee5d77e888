import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, relativeSpecifier, rewriteFile, rootRelative, sourceFiles, targetOf } from './specifiers';

/**
 * Moves files with `git mv` (so rename detection can merge other branches' edits) and rewrites
 * every relative import in the project that points at a moved file or sits in one. Used to put
 * the renderer and desktop services into feature folders; re-runnable with the same plan on a
 * merged branch's new files only for the import half (moves of absent files are skipped).
 *
 *   npx tsx scripts/codemods/move-files.ts plan.json   # {"old/path.ts": "new/path.ts", ...}
 */
const EXT = /\.(ts|tsx)$/;
/** tsconfig.json's aliases: an aliased import of a moved file keeps its alias. */
const ALIASES: [string, string][] = [
  ['@shared/', 'shared/'],
  ['@server/', 'server/src/'],
  ['@electron/', 'electron/'],
  ['@scripts/', 'scripts/'],
];
const strip = (p: string): string => p.replace(EXT, '');

export function moveFiles(plan: Record<string, string>): void {
  const byOld = new Map(Object.entries(plan).map(([from, to]) => [strip(from), strip(to)]));
  const files = ['electron', 'renderer', 'server', 'test', 'scripts', 'bench', 'shared'].flatMap((f) =>
    sourceFiles(join(ROOT, f)),
  );
  // Rewrite first (paths still at their old places), then move.
  for (const file of files) {
    const oldRel = rootRelative(file);
    const newRel = plan[oldRel] ?? oldRel;
    const moved = newRel !== oldRel;
    rewriteFile(file, (specifier) => {
      const alias = ALIASES.find(([prefix]) => specifier.startsWith(prefix));
      if (alias) {
        const [prefix, folder] = alias;
        const moved = byOld.get(folder + specifier.slice(prefix.length));
        return moved?.startsWith(folder) ? prefix + moved.slice(folder.length) : null;
      }
      if (!specifier.startsWith('.')) return null;
      const target = targetOf(file, specifier);
      const newTarget = byOld.get(target) ?? target;
      if (!moved && newTarget === target) return null;
      return relativeSpecifier(join(ROOT, newRel), newTarget);
    });
  }
  for (const [from, to] of Object.entries(plan)) {
    mkdirSync(dirname(join(ROOT, to)), { recursive: true });
    try {
      execFileSync('git', ['mv', from, to], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      console.warn(`skipped ${from}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
}

const planFile = process.argv[2];
if (planFile) {
  moveFiles(JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, string>);
  console.log('moved');
}
