import * as XLSX from 'xlsx';
import type { SopModule } from '@shared/sop/module';
import { WORKBOOK_SHEETS } from './workbook-format';

type Row = Record<string, unknown>;

const cell = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : Array.isArray(v) && v.every((x) => typeof x === 'string')
      ? v.join(', ')
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

function sheetRows(m: SopModule): Record<string, Row[]> {
  const moduleRows: Row[] = [
    { field: 'id', value: m.id },
    { field: 'version', value: m.version },
    { field: 'title', value: m.title },
    { field: 'summary', value: m.summary },
    { field: 'appliesTo', value: m.appliesTo },
    { field: 'passMarkPercent', value: m.certification?.passMarkPercent },
  ];
  return {
    module: moduleRows,
    steps: m.stepList.map((s) => ({ ...s })),
    fields: m.stepList.flatMap((s) => s.fields.map((f) => ({ step: s.id, ...f, options: undefined }))),
    options: m.stepList.flatMap((s) =>
      s.fields.flatMap((f) =>
        'options' in f ? f.options.map((o) => ({ step: s.id, field: f.id, ...o })) : [],
      ),
    ),
    conditions: [
      ...m.stepList
        .filter((s) => s.when !== undefined)
        .map((s) => ({ target: 'step', id: s.id, when: s.when })),
      ...m.resolutions
        .filter((r) => r.when !== undefined)
        .map((r) => ({ target: 'resolution', id: r.code, when: r.when })),
    ],
    rubric: m.stepList.flatMap((s) => s.rubric.map((r) => ({ step: s.id, ...r }))),
    resolutions: m.resolutions.map((r) => ({ code: r.code, actions: r.actions })),
    approvals: m.approvals.flatMap((a) =>
      Object.entries(a.above).map(([currency, above]) => ({ action: a.action, currency, above })),
    ),
    exercises: m.exerciseList.map((e) => ({
      id: e.id,
      title: e.title,
      exception: e.exception,
      answers: e.expected.answers,
      code: e.expected.resolution.code,
      action: e.expected.resolution.action,
    })),
  };
}

/**
 * A module as the workbook template (GET /api/sops/template.xlsx): every cell is text, so amounts
 * and thresholds keep their exact decimals, and JSON columns hold conditions and exercises.
 */
export function moduleToWorkbook(m: SopModule): Buffer {
  const book = XLSX.utils.book_new();
  const rows = sheetRows(m);
  for (const spec of WORKBOOK_SHEETS) {
    const header = spec.columns.map(([name]) => name);
    const data = (rows[spec.name] ?? []).map((r) => header.map((h) => cell(r[h])));
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([header, ...data]), spec.name);
  }
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}
