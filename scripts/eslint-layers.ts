import { builtinModules } from 'node:module';
import { posix, relative, sep } from 'node:path';
import type { Rule } from 'eslint';

/**
 * The layering rule of docs/ARCHITECTURE.md as an ESLint error (`ledgerdesk/layers`): which
 * folders each part may import, which parts may not touch Electron or Node built-ins, the
 * Electron-only files services may not reach, and no import climbing more than two folders (use
 * the tsconfig aliases instead). A wrong import fails `npm run lint` instead of waiting for review.
 */
interface LayerRule {
  /** Path prefix (root-relative, with '/') the rule applies to; the longest matching one wins. */
  scope: string;
  forbiddenFolders: string[];
  /** Only these project folders may be imported (undefined = any not forbidden). */
  onlyFolders?: string[];
  /** Root-relative files (without extension) this part may not import. */
  forbiddenFiles?: string[];
  forbidElectron: boolean;
  forbidNodeBuiltins: boolean;
}

/** Files that run only in Electron's main or preload process: plain Node services never import them. */
export const ELECTRON_ONLY_FILES = [
  'electron/main',
  'electron/preload',
  'electron/ipc',
  'electron/secret-store-safe',
];

const nodeService = {
  forbiddenFolders: ['renderer', 'server'],
  forbiddenFiles: ELECTRON_ONLY_FILES,
  forbidElectron: true,
  forbidNodeBuiltins: false,
};

export const LAYER_RULES: LayerRule[] = [
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
  { scope: 'electron/services/', ...nodeService },
  { scope: 'electron/browser-host/', ...nodeService },
  {
    scope: 'electron/',
    forbiddenFolders: ['renderer', 'server'],
    forbidElectron: false,
    forbidNodeBuiltins: false,
  },
];

/** The tsconfig.json path aliases, as root-relative folders. */
const ALIASES: Record<string, string> = {
  '@shared/': 'shared/',
  '@server/': 'server/src/',
  '@electron/': 'electron/',
  '@scripts/': 'scripts/',
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const MAX_CLIMB = 2;

/** The root-relative target of a specifier, or null for a package. */
function projectTarget(from: string, specifier: string): string | null {
  if (specifier.startsWith('.')) return posix.normalize(posix.join(posix.dirname(from), specifier));
  for (const [alias, folder] of Object.entries(ALIASES)) {
    if (specifier.startsWith(alias)) return folder + specifier.slice(alias.length);
  }
  return null;
}

const withoutExtension = (path: string): string => path.replace(/\.(ts|tsx|js|mjs|cjs)$/, '');

/** Why `from` (root-relative) may not import `specifier`, or null when it may. */
export function importProblem(from: string, specifier: string): string | null {
  const climbs = specifier.match(/^(\.\.\/)+/)?.[0].length ?? 0;
  if (climbs / 3 > MAX_CLIMB) return `climbs ${climbs / 3} folders; use an alias such as @shared/`;
  const rule = LAYER_RULES.filter((r) => from.startsWith(r.scope)).sort(
    (a, b) => b.scope.length - a.scope.length,
  )[0];
  if (!rule) return null;
  const target = projectTarget(from, specifier);
  if (target === null) {
    if (rule.forbidElectron && (specifier === 'electron' || specifier.startsWith('electron/')))
      return `${rule.scope} may not import electron`;
    if (rule.forbidNodeBuiltins && NODE_BUILTINS.has(specifier.split('/')[0] ?? specifier))
      return `${rule.scope} may not import the Node built-in "${specifier}"`;
    return null;
  }
  const folder = target.split('/')[0] ?? '';
  if (target.startsWith('..')) return 'imports from outside the project';
  if (rule.forbiddenFolders.includes(folder)) return `${rule.scope} may not import from ${folder}/`;
  if (rule.onlyFolders && !rule.onlyFolders.includes(folder))
    return `${rule.scope} may import only ${rule.onlyFolders.join(', ')}/`;
  if (rule.forbiddenFiles?.includes(withoutExtension(target)))
    return `${rule.scope} may not import the Electron-only ${withoutExtension(target)}`;
  return null;
}

const layersRule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'the import rule of docs/ARCHITECTURE.md (layers, Electron-only files, max two ../)',
    },
    schema: [],
  },
  create(context) {
    const from = relative(context.cwd, context.filename).split(sep).join('/');
    if (from.startsWith('..')) return {};
    const check = (node: Rule.Node, source: unknown): void => {
      if (typeof source !== 'string') return;
      const problem = importProblem(from, source);
      if (problem) context.report({ node, message: `"${source}": ${problem}` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : null),
      CallExpression: (node) => {
        const arg = node.arguments[0];
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal')
          check(node, arg.value);
      },
    };
  },
};

export const layersPlugin = { rules: { layers: layersRule } };
