/**
 * `npm run sops:check [folder]`: validates every SOP module (default: sops/) and that the
 * committed JSON Schemas in sops/schema/ match the format; `--write-schema` regenerates them.
 * Exits 1 naming file, line and field of each problem.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readUpload } from '../server/src/features/sops/upload';
import type { SopModule } from '@shared/sop/module';
import type { SopProblem } from '@shared/sop/parse';
import { loadSopFolder } from '../server/src/features/sops/load-folder';
import { formatSopProblem } from '@shared/sop/parse';
import { SOP_JSON_SCHEMAS } from '@shared/sop/json-schema';

const args = process.argv.slice(2);
const writeSchema = args.includes('--write-schema');
const root = resolve(args.find((a) => !a.startsWith('--')) ?? 'sops');

/** A .zip or .xlsx is checked exactly as POST /api/sops/uploads checks it. */
async function check(
  path: string,
): Promise<{ modules: readonly SopModule[]; problems: readonly SopProblem[] }> {
  if (!/\.(zip|xlsx)$/i.test(path)) return loadSopFolder(path);
  const result = await readUpload({
    bytes: readFileSync(path),
    name: basename(path),
    base: async () => null,
  });
  return result.module
    ? { modules: [result.module], problems: [] }
    : { modules: [], problems: result.problems };
}

const { modules, problems } = await check(root);
const messages = problems.map(formatSopProblem);

/**
 * Compares the committed schema by content, not by text: prettier re-wraps the generated JSON
 * (short arrays onto one line), and `npm run lint` insists on prettier's layout.
 */
function sameJson(committed: string, generated: string): boolean {
  try {
    return JSON.stringify(JSON.parse(committed)) === JSON.stringify(JSON.parse(generated));
  } catch {
    return false;
  }
}

const schemaDir = join(resolve('sops'), 'schema');
if (writeSchema) mkdirSync(schemaDir, { recursive: true });
for (const [file, make] of Object.entries(SOP_JSON_SCHEMAS)) {
  const text = `${JSON.stringify(make(), null, 2)}\n`;
  const path = join(schemaDir, file);
  if (writeSchema) writeFileSync(path, text);
  else if (!sameJson(readFileSync(path, { encoding: 'utf8', flag: 'a+' }), text)) {
    messages.push(`${path}: out of date with shared/sop/module.ts; run npm run sops:check -- --write-schema`);
  }
}

if (messages.length) {
  for (const m of messages) console.error(m);
  console.error(`sops:check: ${messages.length} problem(s) in ${root}`);
  process.exit(1);
}
const steps = modules.reduce((n, m) => n + m.stepList.length, 0);
const exercises = modules.reduce((n, m) => n + m.exerciseList.length, 0);
console.log(`sops:check: ${modules.length} modules, ${steps} steps, ${exercises} exercises: ok`);
