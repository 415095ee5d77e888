import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layering rule of docs/ARCHITECTURE.md as a check: which top-level folders each part may
 * import, and which parts may not touch Electron or Node built-ins. A wrong import fails CI
 * instead of waiting for a reviewer to notice.
 */
interface Rule {
  /** Path prefix (relative to the project root, with '/') the rule applies to. */
  scope: string;
  forbiddenFolders: string[];
  forbidElectron: boolean;
  forbidNodeBuiltins: boolean;
  /** Only these project folders may be imported (undefined = any not forbidden). */
  onlyFolders?: string[];
}

export const RULES: Rule[] = [
  {
    scope: 'shared/',
    forbiddenFolders: [],
    onlyFolders: ['shared'],
    forbidElectron: true,
    forbidNodeBuiltins: true,
  },
  {
    scope: 'renderer/',
    forbiddenFolders: ['electron', 'server'],
    forbidElectron: true,
    forbidNodeBuiltins: true,
  },
  {
    scope: 'server/',
    forbiddenFolders: ['electron', 'renderer'],
    forbidElectron: true,
    forbidNodeBuiltins: false,
  },
  {
    scope: 'electron/services/',
    forbiddenFolders: ['renderer', 'server'],
    forbidElectron: true,
    forbidNodeBuiltins: false,
  },
  {
    scope: 'electron/browser-host/',
    forbiddenFolders: ['renderer', 'server'],
    forbidElectron: true,
    forbidNodeBuiltins: false,
  },
  {
    scope: 'electron/',
    forbiddenFolders: ['renderer', 'server'],
    forbidElectron: false,
    forbidNodeBuiltins: false,
  },
];

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  reason: string;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+|\bimport\s+type\s+[^'"]*?from\s*)['"]([^'"]+)['"]/gm;
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (SOURCE.test(name)) out.push(full);
  }
  return out;
}

function ruleFor(rel: string): Rule | undefined {
  // The most specific scope wins (electron/services/ before electron/).
  return RULES.filter((r) => rel.startsWith(r.scope)).sort((a, b) => b.scope.length - a.scope.length)[0];
}

export function checkFile(root: string, file: string): Violation[] {
  const rel = relative(root, file).split(sep).join('/');
  const rule = ruleFor(rel);
  if (!rule) return [];
  const text = readFileSync(file, 'utf8');
  const violations: Violation[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? '';
    const line = text.slice(0, match.index).split('\n').length;
    const fail = (reason: string): void => {
      violations.push({ file: rel, line, specifier, reason });
    };
    if (specifier.startsWith('.')) {
      const target = relative(root, resolve(dirname(file), specifier))
        .split(sep)
        .join('/');
      const folder = target.split('/')[0] ?? '';
      if (target.startsWith('..')) fail('imports from outside the project');
      else if (rule.forbiddenFolders.includes(folder)) fail(`${rule.scope} may not import from ${folder}/`);
      else if (rule.onlyFolders && !rule.onlyFolders.includes(folder))
        fail(`${rule.scope} may import only ${rule.onlyFolders.join(', ')}/`);
    } else if (rule.forbidElectron && (specifier === 'electron' || specifier.startsWith('electron/'))) {
      fail(`${rule.scope} may not import electron`);
    } else if (rule.forbidNodeBuiltins && NODE_BUILTINS.has(specifier.split('/')[0] ?? specifier)) {
      fail(`${rule.scope} may not import the Node built-in "${specifier}"`);
    }
  }
  return violations;
}

export function findViolations(root: string): Violation[] {
  return ['shared', 'renderer', 'server', 'electron']
    .map((folder) => join(root, folder))
    .filter((dir) => {
      try {
        return statSync(dir).isDirectory();
      } catch {
        return false;
      }
    })
    .flatMap(sourceFiles)
    .flatMap((file) => checkFile(root, file));
}
