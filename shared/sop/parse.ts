import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { exceptionRecordSchema } from '../exception';
import { conditionVars, type Condition } from './condition';
import { evaluateChecklist, resolutionProblems } from './engine';
import {
  sopExerciseSchema,
  sopManifestSchema,
  sopStepFrontMatterSchema,
  type SopExercise,
  type SopModule,
  type SopStep,
} from './module';

/**
 * Reads a module folder's files (given as text, so this stays free of any file system) into one
 * SopModule, or says precisely what is wrong: file, line, field and why. Used by
 * `npm run sops:check`, by the server's SOP registry when it loads `sops/`, and by trainers'
 * imports later.
 */

export interface SopFile {
  /** Path inside the module folder, with forward slashes: module.yaml, steps/x.md, exercises/y.yaml. */
  readonly path: string;
  readonly text: string;
}

export interface SopProblem {
  /** The module folder and file, e.g. "usage-mismatch/steps/check-window.md". */
  readonly file: string;
  readonly line: number | null;
  /** Dotted path of the field inside the file ("" for the whole file). */
  readonly field: string;
  readonly message: string;
}

export type SopParseResult =
  | { readonly module: SopModule; readonly problems: readonly [] }
  | { readonly module: null; readonly problems: readonly SopProblem[] };

type Path = readonly (string | number)[];

interface ParsedYaml {
  readonly data: unknown;
  readonly lineOf: (path: Path) => number | null;
  readonly problems: SopProblem[];
}

function readYaml(file: string, text: string, lineOffset = 0): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = doc.errors.map((e) => ({
    file,
    line: (e.linePos?.[0].line ?? 0) + lineOffset || null,
    field: '',
    message: e.message.split('\n')[0] ?? e.message,
  }));
  const lineOf = (path: Path): number | null => {
    // The deepest node that exists on the path: a missing key is reported at its parent.
    for (let n = path.length; n >= 0; n -= 1) {
      const node = path.length === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line + lineOffset;
      if (n === 0) break;
    }
    return null;
  };
  return { data: problems.length ? null : doc.toJS(), lineOf, problems };
}

const fieldPath = (path: Path): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function schemaProblems(file: string, parsed: ParsedYaml, error: z.ZodError): SopProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    return { file, line: parsed.lineOf(path), field: fieldPath(path), message: issue.message };
  });
}

function parseWith<S extends z.ZodType>(
  schema: S,
  file: string,
  parsed: ParsedYaml,
  problems: SopProblem[],
): z.infer<S> | null {
  if (parsed.problems.length) {
    problems.push(...parsed.problems);
    return null;
  }
  const result = schema.safeParse(parsed.data);
  if (result.success) return result.data;
  problems.push(...schemaProblems(file, parsed, result.error));
  return null;
}

/** Splits `---\nfront matter\n---\nbody`; the front matter's lines start at line 2 of the file. */
function splitFrontMatter(text: string): { front: string; body: string } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  return match ? { front: match[1] ?? '', body: (match[2] ?? '').trim() } : null;
}

/** Names a condition may read from the exception (plus the amounts' parts and two derived values). */
const EXCEPTION_VARS = new Set<string>([
  ...Object.keys(exceptionRecordSchema.shape).filter((k) => k !== 'evidence'),
  ...['expected', 'actual', 'variance'].flatMap((m) => [`${m}.amount`, `${m}.currency`]),
  'varianceAbs',
  'expectedAbs',
]);

function varProblem(name: string, earlierAnswers: ReadonlySet<string>): string | null {
  if (name === 'today') return null;
  const [scope, ...rest] = name.split('.');
  const key = rest.join('.');
  if (scope === 'exception') {
    return EXCEPTION_VARS.has(key) ? null : `"${name}" is not an exception field`;
  }
  if (scope === 'answers') {
    return earlierAnswers.has(key) ? null : `"${name}" is not an answer of an earlier step`;
  }
  return `"${name}" must start with exception., answers. or be today`;
}

function conditionProblems(
  when: Condition | undefined,
  earlier: ReadonlySet<string>,
  at: { file: string; field: string; line: number | null },
): SopProblem[] {
  if (when === undefined) return [];
  return conditionVars(when)
    .map((name) => varProblem(name, earlier))
    .filter((m): m is string => m !== null)
    .map((message) => ({ ...at, message }));
}

function stepShapeProblems(step: SopStep): string[] {
  const out: string[] = [];
  if (step.kind === 'decision' && !step.fields.some((f) => f.type === 'select')) {
    out.push('a decision step needs a select field for later steps to read');
  }
  if (step.kind === 'input' && step.fields.length === 0) out.push('an input step needs at least one field');
  if ((step.kind === 'check' || step.kind === 'action') && !step.confirm) {
    out.push(`a ${step.kind} step needs "confirm": the words the operator ticks`);
  }
  return out;
}

export function parseSopModule(folder: string, files: readonly SopFile[]): SopParseResult {
  const problems: SopProblem[] = [];
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const name = (path: string): string => `${folder}/${path}`;

  const manifestText = byPath.get('module.yaml');
  if (manifestText === undefined) {
    return {
      module: null,
      problems: [{ file: name('module.yaml'), line: null, field: '', message: 'missing' }],
    };
  }
  const manifestYaml = readYaml(name('module.yaml'), manifestText);
  const manifest = parseWith(sopManifestSchema, name('module.yaml'), manifestYaml, problems);
  if (!manifest) return { module: null, problems };
  if (manifest.id !== folder.split('/').pop()) {
    problems.push({
      file: name('module.yaml'),
      line: manifestYaml.lineOf(['id']),
      field: 'id',
      message: `the id "${manifest.id}" must equal the folder name "${folder.split('/').pop()}"`,
    });
  }

  const steps: SopStep[] = [];
  const seenIds = new Map<string, string>();
  const answerIds = new Set<string>();
  manifest.steps.forEach((id, i) => {
    const file = `steps/${id}.md`;
    const text = byPath.get(file);
    if (text === undefined) {
      problems.push({
        file: name('module.yaml'),
        line: manifestYaml.lineOf(['steps', i]),
        field: `steps[${i}]`,
        message: `step "${id}" has no file ${file}`,
      });
      return;
    }
    const split = splitFrontMatter(text);
    if (!split) {
      problems.push({
        file: name(file),
        line: 1,
        field: '',
        message: 'expected YAML front matter between --- lines',
      });
      return;
    }
    const yaml = readYaml(name(file), split.front, 1);
    const front = parseWith(sopStepFrontMatterSchema, name(file), yaml, problems);
    if (!front) return;
    const step: SopStep = { ...front, id, body: split.body };
    for (const message of stepShapeProblems(step)) {
      problems.push({ file: name(file), line: yaml.lineOf(['kind']), field: 'kind', message });
    }
    problems.push(
      ...conditionProblems(step.when, answerIds, {
        file: name(file),
        field: 'when',
        line: yaml.lineOf(['when']),
      }),
    );
    // A check or action step stores its confirmation under the step id; other steps' ids are
    // free for a field (a decision step's select is naturally named after the step).
    const confirms = step.kind === 'check' || step.kind === 'action';
    const ids: [string, Path][] = [
      ...(confirms ? [[id, []] as [string, Path]] : []),
      ...step.fields.map((f, fi): [string, Path] => [f.id, ['fields', fi, 'id']]),
    ];
    for (const [answerId, path] of ids) {
      const previous = seenIds.get(answerId);
      if (previous) {
        problems.push({
          file: name(file),
          line: yaml.lineOf(path),
          field: fieldPath(path) || 'id',
          message: `id "${answerId}" is already used by ${previous}; step and field ids are one namespace`,
        });
      }
      seenIds.set(answerId, file);
      answerIds.add(answerId);
    }
    steps.push(step);
  });
  for (const path of byPath.keys()) {
    const m = /^steps\/(.+)\.md$/.exec(path);
    if (m && !manifest.steps.includes(m[1] as string)) {
      problems.push({ file: name(path), line: null, field: '', message: 'not listed in module.yaml steps' });
    }
  }

  const codes = new Set<string>();
  manifest.resolutions.forEach((r, i) => {
    const line = manifestYaml.lineOf(['resolutions', i]);
    if (codes.has(r.code)) {
      problems.push({
        file: name('module.yaml'),
        line,
        field: `resolutions[${i}].code`,
        message: `${r.code} is listed twice`,
      });
    }
    codes.add(r.code);
    problems.push(
      ...conditionProblems(r.when, answerIds, {
        file: name('module.yaml'),
        field: `resolutions[${i}].when`,
        line,
      }),
    );
  });
  manifest.approvals.forEach((a, i) => {
    if (!manifest.resolutions.some((r) => r.actions.includes(a.action))) {
      problems.push({
        file: name('module.yaml'),
        line: manifestYaml.lineOf(['approvals', i, 'action']),
        field: `approvals[${i}].action`,
        message: `no resolution in this module allows ${a.action}`,
      });
    }
  });

  const exercises: (SopExercise & { id: string })[] = [];
  manifest.exercises.forEach((id, i) => {
    const file = `exercises/${id}.yaml`;
    const text = byPath.get(file);
    if (text === undefined) {
      problems.push({
        file: name('module.yaml'),
        line: manifestYaml.lineOf(['exercises', i]),
        field: `exercises[${i}]`,
        message: `exercise "${id}" has no file ${file}`,
      });
      return;
    }
    const exercise = parseWith(sopExerciseSchema, name(file), readYaml(name(file), text), problems);
    if (exercise) exercises.push({ ...exercise, id });
  });

  if (problems.length) return { module: null, problems };
  const module: SopModule = { ...manifest, stepList: steps, exerciseList: exercises };
  for (const exercise of exercises) {
    problems.push(
      ...exerciseProblems(module, exercise).map((message) => ({
        file: name(`exercises/${exercise.id}.yaml`),
        line: null,
        field: 'expected',
        message,
      })),
    );
  }
  return problems.length ? { module: null, problems } : { module, problems: [] };
}

/** An exercise must be solvable as written: its expected answers complete the checklist and allow its resolution. */
export function exerciseProblems(module: SopModule, exercise: SopModule['exerciseList'][number]): string[] {
  if (!module.appliesTo.includes(exercise.exception.type)) {
    return [`the exercise's exception type ${exercise.exception.type} is not one this module applies to`];
  }
  const input = {
    module,
    exception: exercise.exception,
    answers: exercise.expected.answers,
    today: exercise.exception.openedAt.slice(0, 10),
  };
  const known = new Set(module.stepList.flatMap((s) => [s.id, ...s.fields.map((f) => f.id)]));
  const unknown = Object.keys(exercise.expected.answers).filter((k) => !known.has(k));
  const problems = unknown.map((k) => `answer "${k}" is not a step or field of this module`);
  const state = evaluateChecklist(input);
  problems.push(...state.blockers.map((b) => `the expected answers leave the checklist incomplete: ${b}`));
  if (state.blockers.length === 0) {
    problems.push(...resolutionProblems(input, { ...exercise.expected.resolution, amount: null }));
  }
  return problems;
}

export function formatSopProblem(p: SopProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}`;
}
