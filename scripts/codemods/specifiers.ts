import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Shared by the codemods: find every import specifier of a source file and let a function
 * rewrite it. Regex, not a parser, because the codebase's imports are one specifier per string
 * literal after `from`, `import(` or `export ... from`, and prettier keeps them that way.
 */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\2/gm;
const SOURCE = /\.(ts|tsx|mts|cts)$/;

export const ROOT = resolve(import.meta.dirname, '..', '..');

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'out') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (SOURCE.test(name)) out.push(full);
  }
  return out;
}

export const toPosix = (p: string): string => p.split(sep).join('/');

/** Root-relative posix path of a file. */
export const rootRelative = (file: string): string => toPosix(relative(ROOT, file));

/** The root-relative target of a relative specifier written in `file`. */
export function targetOf(file: string, specifier: string): string {
  return rootRelative(resolve(dirname(file), specifier));
}

/** A relative specifier from `file` to the root-relative `target`, with ./ when it stays in the folder. */
export function relativeSpecifier(file: string, target: string): string {
  const rel = toPosix(relative(dirname(file), join(ROOT, target)));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Rewrites the specifiers of one file; returns whether it changed. */
export function rewriteFile(file: string, rewrite: (specifier: string) => string | null): boolean {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(SPECIFIER, (whole, head: string, quote: string, specifier: string) => {
    const replaced = rewrite(specifier);
    return replaced === null || replaced === specifier ? whole : `${head}${quote}${replaced}${quote}`;
  });
  if (next === text) return false;
  writeFileSync(file, next);
  return true;
}
