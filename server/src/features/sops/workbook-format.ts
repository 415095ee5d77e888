/**
 * The SOP workbook template (docs/trainer-sop-workbook.md): one sheet per part of a module, a
 * header row, then one row per item. Reader and writer both follow this list, so the exported
 * template always reads back.
 */
export type CellKind = 'text' | 'int' | 'bool' | 'list' | 'json';

export interface SheetSpec {
  readonly name: string;
  readonly required: boolean;
  readonly columns: readonly (readonly [string, CellKind])[];
}

export const MODULE_KEYS: readonly (readonly [string, CellKind])[] = [
  ['id', 'text'],
  ['version', 'text'],
  ['title', 'text'],
  ['summary', 'text'],
  ['appliesTo', 'list'],
  ['passMarkPercent', 'int'],
];

export const WORKBOOK_SHEETS: readonly SheetSpec[] = [
  {
    name: 'module',
    required: true,
    columns: [
      ['field', 'text'],
      ['value', 'text'],
    ],
  },
  {
    name: 'steps',
    required: true,
    columns: [
      ['id', 'text'],
      ['title', 'text'],
      ['kind', 'text'],
      ['confirm', 'text'],
      ['required', 'bool'],
      ['body', 'text'],
    ],
  },
  {
    name: 'fields',
    required: false,
    columns: [
      ['step', 'text'],
      ['id', 'text'],
      ['type', 'text'],
      ['label', 'text'],
      ['help', 'text'],
      ['required', 'bool'],
      ['min', 'text'],
      ['max', 'text'],
      ['integer', 'bool'],
      ['unit', 'text'],
      ['currency', 'text'],
      ['minLength', 'int'],
      ['maxLength', 'int'],
      ['pattern', 'text'],
      ['patternHint', 'text'],
      ['minItems', 'int'],
      ['maxItems', 'int'],
      ['accept', 'list'],
      ['maxBytes', 'int'],
      ['maxFiles', 'int'],
    ],
  },
  {
    name: 'options',
    required: false,
    columns: [
      ['step', 'text'],
      ['field', 'text'],
      ['value', 'text'],
      ['label', 'text'],
    ],
  },
  {
    name: 'conditions',
    required: false,
    columns: [
      ['target', 'text'],
      ['id', 'text'],
      ['when', 'json'],
    ],
  },
  {
    name: 'rubric',
    required: false,
    columns: [
      ['step', 'text'],
      ['id', 'text'],
      ['text', 'text'],
      ['critical', 'bool'],
    ],
  },
  {
    name: 'resolutions',
    required: true,
    columns: [
      ['code', 'text'],
      ['actions', 'list'],
    ],
  },
  {
    name: 'approvals',
    required: false,
    columns: [
      ['action', 'text'],
      ['currency', 'text'],
      ['above', 'text'],
    ],
  },
  {
    name: 'exercises',
    required: false,
    columns: [
      ['id', 'text'],
      ['title', 'text'],
      ['exception', 'json'],
      ['answers', 'json'],
      ['code', 'text'],
      ['action', 'text'],
    ],
  },
];
