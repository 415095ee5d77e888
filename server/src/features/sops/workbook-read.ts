import * as XLSX from 'xlsx';
import type { SopFile, SopProblem } from '@shared/sop/parse';
import { cellText } from '../ingest/xlsx-reader';
import { MODULE_KEYS, WORKBOOK_SHEETS, type CellKind, type SheetSpec } from './workbook-format';

/**
 * Reads the SOP workbook template into the files of a module folder (JSON is YAML, so the one
 * parser checks both), remembering which sheet and row each part came from: a problem the parser
 * finds in a generated file is reported at its sheet, row and column instead.
 */

type Value = string | number | boolean | string[] | unknown;
interface SheetRow {
  readonly row: number;
  readonly values: Record<string, Value>;
}

export interface WorkbookRead {
  readonly files: SopFile[] | null;
  readonly folder: string;
  readonly problems: SopProblem[];
  /** Moves a problem in a generated file to the sheet and row it came from. */
  readonly locate: (p: SopProblem) => SopProblem;
}

const MAX_ROWS = 2_000;

function convert(kind: CellKind, text: string): { ok: true; value: Value } | { ok: false; message: string } {
  switch (kind) {
    case 'text':
      return { ok: true, value: text };
    case 'int':
      return /^-?\d{1,9}$/.test(text.trim())
        ? { ok: true, value: Number(text.trim()) }
        : { ok: false, message: 'expected a whole number' };
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (['true', 'yes', 'y', '1'].includes(t)) return { ok: true, value: true };
      if (['false', 'no', 'n', '0'].includes(t)) return { ok: true, value: false };
      return { ok: false, message: 'expected true or false' };
    }
    case 'list':
      return {
        ok: true,
        value: text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, message: 'expected JSON (for example {"==": [{"var": "answers.kind"}, "x"]})' };
      }
  }
}

function readSheet(book: XLSX.WorkBook, spec: SheetSpec, file: string, problems: SopProblem[]): SheetRow[] {
  const sheet = book.Sheets[spec.name];
  if (!sheet || !sheet['!ref']) {
    if (spec.required) problems.push({ file, line: null, field: `sheet ${spec.name}`, message: 'missing' });
    return [];
  }
  const at = `${file} [${spec.name}]`;
  const range = XLSX.utils.decode_range(sheet['!ref']);
  if (range.e.r + 1 > MAX_ROWS || range.e.c > 60) {
    problems.push({ file: at, line: null, field: '', message: `more than ${MAX_ROWS} rows or 60 columns` });
    return [];
  }
  const data = (sheet as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ?? [];
  const textOf = (r: number, c: number): string => {
    const t = cellText(data[r]?.[c]);
    return t.ok ? t.value : '';
  };
  const header: string[] = [];
  for (let c = 0; c <= range.e.c; c += 1) header.push(textOf(0, c).trim());
  const known = new Map(spec.columns.map(([name, kind]) => [name.toLowerCase(), [name, kind] as const]));
  header.forEach((h) => {
    if (h !== '' && !known.has(h.toLowerCase())) {
      problems.push({
        file: at,
        line: 1,
        field: h.slice(0, 60),
        message: `unknown column; expected ${spec.columns.map(([n]) => n).join(', ')}`,
      });
    }
  });
  const out: SheetRow[] = [];
  for (let r = 1; r <= range.e.r; r += 1) {
    const values: Record<string, Value> = {};
    for (let c = 0; c <= range.e.c; c += 1) {
      const col = known.get((header[c] ?? '').toLowerCase());
      if (!col) continue;
      const t = cellText(data[r]?.[c]);
      if (!t.ok) {
        problems.push({ file: at, line: r + 1, field: col[0], message: t.message });
        continue;
      }
      if (t.value.trim() === '') continue;
      const v = convert(col[1], t.value);
      if (v.ok) values[col[0]] = v.value;
      else problems.push({ file: at, line: r + 1, field: col[0], message: v.message });
    }
    if (Object.keys(values).length > 0) out.push({ row: r + 1, values });
  }
  return out;
}

const str = (v: Value): string => (typeof v === 'string' ? v : '');
const asJson = (v: unknown): string => JSON.stringify(v, null, 2);

export function readSopWorkbook(bytes: Uint8Array, file: string): WorkbookRead {
  const problems: SopProblem[] = [];
  const none = (): WorkbookRead => ({ files: null, folder: '', problems, locate: (p) => p });
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(bytes, {
      type: 'buffer',
      dense: true,
      cellNF: true,
      cellDates: false,
      cellFormula: false,
      bookVBA: false,
    });
  } catch (error) {
    problems.push({
      file,
      line: null,
      field: '',
      message: `not a readable xlsx workbook (${error instanceof Error ? error.message.slice(0, 200) : 'unknown'})`,
    });
    return none();
  }
  const sheets = new Map(WORKBOOK_SHEETS.map((s) => [s.name, readSheet(book, s, file, problems)]));
  if (problems.length) return none();
  const rowsOf = (name: string): SheetRow[] => sheets.get(name) ?? [];

  const manifest: Record<string, unknown> = {};
  const moduleRow = new Map<string, number>();
  for (const { row, values } of rowsOf('module')) {
    const key = MODULE_KEYS.find(([k]) => k.toLowerCase() === str(values.field).trim().toLowerCase());
    if (!key) {
      problems.push({
        file: `${file} [module]`,
        line: row,
        field: 'field',
        message: `expected one of ${MODULE_KEYS.map(([k]) => k).join(', ')}`,
      });
      continue;
    }
    const v = convert(key[1], str(values.value));
    if (!v.ok) problems.push({ file: `${file} [module]`, line: row, field: key[0], message: v.message });
    else if (key[0] === 'passMarkPercent') manifest.certification = { passMarkPercent: v.value };
    else manifest[key[0]] = v.value;
    moduleRow.set(key[0], row);
  }
  if (problems.length) return none();
  const id =
    typeof manifest.id === 'string' && /^[a-z][a-z0-9-]{1,62}$/.test(manifest.id) ? manifest.id : 'module';

  const steps = rowsOf('steps');
  const conditions = rowsOf('conditions');
  const resolutions = rowsOf('resolutions');
  const approvals = rowsOf('approvals');
  const exercises = rowsOf('exercises');
  const whenOf = (target: string, key: string): SheetRow | undefined =>
    conditions.find((c) => str(c.values.target).trim() === target && str(c.values.id).trim() === key);

  const approvalActions = [...new Set(approvals.map((a) => str(a.values.action)))];
  manifest.steps = steps.map((s) => str(s.values.id));
  manifest.resolutions = resolutions.map((r) => ({
    code: r.values.code,
    actions: r.values.actions,
    ...(whenOf('resolution', str(r.values.code))
      ? { when: whenOf('resolution', str(r.values.code))?.values.when }
      : {}),
  }));
  manifest.approvals = approvalActions.map((action) => ({
    action,
    above: Object.fromEntries(
      approvals.filter((a) => a.values.action === action).map((a) => [a.values.currency, a.values.above]),
    ),
  }));
  manifest.exercises = exercises.map((e) => str(e.values.id));

  const files: SopFile[] = [{ path: 'module.yaml', text: asJson(manifest) }];
  const fieldRows = rowsOf('fields');
  const optionRows = rowsOf('options');
  const rubricRows = rowsOf('rubric');
  const stepOrigin = new Map<
    string,
    { step: number; fields: number[]; options: number[][]; rubric: number[]; when?: number }
  >();
  for (const s of steps) {
    const sid = str(s.values.id);
    const fields = fieldRows.filter((f) => str(f.values.step) === sid);
    const { id: _id, body, ...front } = s.values;
    void _id;
    const when = whenOf('step', sid);
    const frontMatter = {
      ...front,
      fields: fields.map((f) => {
        const { step: _s, ...rest } = f.values;
        void _s;
        const opts = optionRows.filter(
          (o) => str(o.values.step) === sid && str(o.values.field) === str(f.values.id),
        );
        return opts.length
          ? { ...rest, options: opts.map((o) => ({ value: o.values.value, label: o.values.label })) }
          : rest;
      }),
      rubric: rubricRows
        .filter((r) => str(r.values.step) === sid)
        .map((r) => {
          const { step: _s, ...rest } = r.values;
          void _s;
          return rest;
        }),
      ...(when ? { when: when.values.when } : {}),
    };
    stepOrigin.set(sid, {
      step: s.row,
      fields: fields.map((f) => f.row),
      options: fields.map((f) =>
        optionRows
          .filter((o) => str(o.values.step) === sid && str(o.values.field) === str(f.values.id))
          .map((o) => o.row),
      ),
      rubric: rubricRows.filter((r) => str(r.values.step) === sid).map((r) => r.row),
      ...(when ? { when: when.row } : {}),
    });
    files.push({ path: `steps/${sid}.md`, text: `---\n${asJson(frontMatter)}\n---\n${str(body)}\n` });
  }
  for (const e of exercises) {
    files.push({
      path: `exercises/${str(e.values.id)}.yaml`,
      text: asJson({
        title: e.values.title,
        exception: e.values.exception,
        expected: {
          answers: e.values.answers ?? {},
          resolution: { code: e.values.code, action: e.values.action },
        },
      }),
    });
  }

  const index = (field: string, key: string): number | null => {
    const m = new RegExp(`^${key}\\[(\\d+)\\]`).exec(field);
    return m ? Number(m[1]) : null;
  };
  const locate = (p: SopProblem): SopProblem => {
    const path = p.file.slice(id.length + 1);
    const at = (sheet: string, line: number | null | undefined, field = p.field): SopProblem => ({
      file: `${file} [${sheet}]`,
      line: line ?? null,
      field,
      message: p.message,
    });
    if (path === 'module.yaml') {
      const r = index(p.field, 'resolutions');
      if (r !== null)
        return p.field.includes('.when')
          ? at('conditions', whenOf('resolution', str(resolutions[r]?.values.code))?.row)
          : at('resolutions', resolutions[r]?.row);
      const a = index(p.field, 'approvals');
      if (a !== null)
        return at('approvals', approvals.find((x) => x.values.action === approvalActions[a])?.row);
      const s = index(p.field, 'steps');
      if (s !== null) return at('steps', steps[s]?.row, 'id');
      const x = index(p.field, 'exercises');
      if (x !== null) return at('exercises', exercises[x]?.row, 'id');
      const key = p.field.split(/[.[]/)[0] ?? '';
      return at('module', moduleRow.get(key === 'certification' ? 'passMarkPercent' : key));
    }
    const step = /^steps\/(.+)\.md$/.exec(path);
    if (step) {
      const o = stepOrigin.get(step[1] ?? '');
      const f = index(p.field, 'fields');
      const opt = /^fields\[(\d+)\]\.options\[(\d+)\]/.exec(p.field);
      if (opt) return at('options', o?.options[Number(opt[1])]?.[Number(opt[2])]);
      if (f !== null) return at('fields', o?.fields[f]);
      const r = index(p.field, 'rubric');
      if (r !== null) return at('rubric', o?.rubric[r]);
      if (p.field.startsWith('when')) return at('conditions', o?.when);
      return at('steps', o?.step);
    }
    const ex = /^exercises\/(.+)\.yaml$/.exec(path);
    if (ex) return at('exercises', exercises.find((e) => str(e.values.id) === ex[1])?.row);
    return { ...p, file: file };
  };
  return { files: problems.length ? null : files, folder: id, problems, locate };
}
