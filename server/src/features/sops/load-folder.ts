import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseSopModule, type SopFile, type SopProblem } from '@shared/sop/parse';
import type { SopModule } from '@shared/sop/module';
import { EXCEPTION_TYPES } from '@shared/exception-types';

/** The text files of one module folder, with paths relative to it. */
function readModuleFiles(dir: string): SopFile[] {
  const out: SopFile[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ya?ml|md)$/.test(entry.name)) {
        out.push({ path: relative(dir, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  return out;
}

export interface SopFolderResult {
  readonly modules: readonly SopModule[];
  readonly problems: readonly SopProblem[];
}

/**
 * Every module under a `sops/` folder (one sub-folder with a module.yaml each), checked one by
 * one and then together: each exception type must have exactly one module.
 */
export function loadSopFolder(root: string): SopFolderResult {
  const modules: SopModule[] = [];
  const problems: SopProblem[] = [];
  const folders = readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .filter((name) => statSync(join(root, name, 'module.yaml'), { throwIfNoEntry: false })?.isFile())
    .sort();
  for (const name of folders) {
    const result = parseSopModule(name, readModuleFiles(join(root, name)));
    if (result.module) modules.push(result.module);
    else problems.push(...result.problems);
  }
  if (problems.length === 0) {
    for (const type of EXCEPTION_TYPES) {
      const owners = modules.filter((m) => m.appliesTo.includes(type)).map((m) => m.id);
      if (owners.length === 1) continue;
      problems.push({
        file: root,
        line: null,
        field: 'appliesTo',
        message:
          owners.length === 0
            ? `no module applies to exception type ${type}`
            : `exception type ${type} has more than one module: ${owners.join(', ')}`,
      });
    }
  }
  return { modules, problems };
}
