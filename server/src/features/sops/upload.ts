import { posix } from 'node:path';
import { moduleToFiles } from '@shared/sop/files';
import type { SopModule } from '@shared/sop/module';
import { parseSopModule, type SopFile, type SopProblem } from '@shared/sop/parse';
import { isStorableText } from '@shared/text';
import { readSopWorkbook } from './workbook-read';
import { isZip, readZip, ZipRefused } from './zip-reader';

/**
 * An upload (a .zip of a module folder, an .xlsx workbook, or one file of a module) read into a
 * checked module, or every problem with file, line (or sheet and row) and field. Nothing here
 * touches the database: the caller stores a draft only when there are no problems.
 */
export type UploadResult =
  | { readonly module: SopModule; readonly kind: 'zip' | 'xlsx' | 'file'; readonly problems: readonly [] }
  | { readonly module: null; readonly problems: readonly SopProblem[] };

export interface UploadInput {
  readonly bytes: Uint8Array;
  /** The uploaded file's name, for messages and to tell a single file's kind. */
  readonly name: string;
  /** A single file: where it goes in the module folder (module.yaml, steps/<id>.md, exercises/<id>.yaml). */
  readonly path?: string | undefined;
  /** The newest version of the module a single file amends (null: none yet). */
  readonly base: (moduleId: string) => Promise<SopModule | null>;
}

const MODULE_FILE = /^(module\.yaml|steps\/[a-z][a-z0-9-]{1,62}\.md|exercises\/[a-z][a-z0-9-]{1,62}\.yaml)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (file: string, message: string, field = ''): UploadResult => ({
  module: null,
  problems: [{ file, line: null, field, message }],
});

function text(bytes: Uint8Array, file: string): string | SopProblem {
  try {
    const t = utf8.decode(bytes);
    if (!isStorableText(t))
      return { file, line: null, field: '', message: 'contains a NUL byte or an unpaired surrogate' };
    return t.replace(/^\uFEFF/, '');
  } catch {
    return { file, line: null, field: '', message: 'is not UTF-8 text' };
  }
}

function fromZip(bytes: Uint8Array, name: string): UploadResult {
  const entries = readZip(bytes);
  const isWorkbook =
    entries.some((e) => e.path === '[Content_Types].xml') && entries.some((e) => e.path.startsWith('xl/'));
  if (isWorkbook) {
    const book = readSopWorkbook(bytes, name);
    if (!book.files) return { module: null, problems: book.problems };
    const parsed = parseSopModule(book.folder, book.files);
    return parsed.module
      ? { module: parsed.module, kind: 'xlsx', problems: [] }
      : { module: null, problems: parsed.problems.map(book.locate) };
  }
  // Hidden files and macOS resource forks are not part of a module.
  const useful = entries.filter((e) => !e.path.split('/').some((s) => s.startsWith('.') || s === '__MACOSX'));
  const manifests = useful.filter((e) => posix.basename(e.path) === 'module.yaml');
  if (manifests.length !== 1) {
    return refuse(
      name,
      `expected exactly one module (one module.yaml) in the archive; found ${manifests.length}`,
    );
  }
  const root = posix.dirname(manifests[0]?.path ?? '');
  const prefix = root === '.' ? '' : `${root}/`;
  const files: SopFile[] = [];
  const problems: SopProblem[] = [];
  for (const e of useful) {
    if (!e.path.startsWith(prefix) || !/\.(ya?ml|md)$/.test(e.path)) continue;
    const t = text(e.bytes, `${name}/${e.path}`);
    if (typeof t === 'string') files.push({ path: e.path.slice(prefix.length), text: t });
    else problems.push(t);
  }
  if (problems.length) return { module: null, problems };
  const folder = `${name}/${root === '.' ? name.replace(/\.zip$/i, '') : root}`;
  const parsed = parseSopModule(folder, files);
  return parsed.module ? { module: parsed.module, kind: 'zip', problems: [] } : parsed;
}

type SingleFile =
  | { readonly ok: false; readonly result: UploadResult }
  | {
      readonly ok: true;
      readonly path: string;
      readonly text: string;
      readonly moduleId: string | undefined;
    };

function fromSingleFile(input: UploadInput): SingleFile {
  const path = input.path ?? (posix.basename(input.name) === 'module.yaml' ? 'module.yaml' : undefined);
  if (!path || !MODULE_FILE.test(path)) {
    const message =
      'a single file needs "path": module.yaml, steps/<step-id>.md or exercises/<exercise-id>.yaml';
    return { ok: false, result: refuse(input.name, message, 'path') };
  }
  const t = text(input.bytes, input.name);
  if (typeof t !== 'string') return { ok: false, result: { module: null, problems: [t] } };
  // A module.yaml names its module; a step or an exercise belongs to the one the query names.
  const idMatch = /^id:\s*["']?([a-z][a-z0-9-]{1,62})["']?\s*$/m.exec(t);
  return { ok: true, path, text: t, moduleId: path === 'module.yaml' ? idMatch?.[1] : undefined };
}

export async function readUpload(
  input: UploadInput & { moduleId?: string | undefined },
): Promise<UploadResult> {
  try {
    if (isZip(input.bytes)) return fromZip(input.bytes, input.name);
  } catch (error) {
    if (error instanceof ZipRefused) return refuse(input.name, error.message);
    throw error;
  }
  const single = fromSingleFile(input);
  if (!single.ok) return single.result;
  const moduleId = single.moduleId ?? input.moduleId;
  if (!moduleId) return refuse(input.name, 'name the module this file belongs to ("module")', 'module');
  const base = await input.base(moduleId);
  const files = new Map((base ? moduleToFiles(base) : []).map((f) => [f.path, f.text]));
  files.set(single.path, single.text);
  // The one uploaded file carries its own name in problems; the rest are the stored version's.
  const parsed = parseSopModule(
    moduleId,
    [...files].map(([path, t]) => ({ path, text: t })),
  );
  if (parsed.module) return { module: parsed.module, kind: 'file', problems: [] };
  return {
    module: null,
    problems: parsed.problems.map((p) =>
      p.file === `${moduleId}/${single.path}` ? { ...p, file: input.name } : p,
    ),
  };
}
