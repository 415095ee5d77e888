import Decimal from 'decimal.js';

/**
 * Step conditions, written as data in the JSON Logic style (`{"==": [{"var": "answers.window"},
 * "outside"]}`) and evaluated here, never with `eval`. Only the operators below exist; the
 * checker names any other. A hand-written evaluator rather than json-logic-js because amounts
 * are decimal strings: its `<` / `>` coerce to binary floats, which would misjudge a threshold
 * such as 0.1 + 0.2 against 0.3, and its `method` operator calls arbitrary JS methods.
 */
export type ConditionValue = string | number | boolean | null | readonly ConditionValue[];
export type Condition =
  | ConditionValue
  | { readonly var: string | readonly [string, ConditionValue] }
  | { readonly [op: string]: Condition | readonly Condition[] };

export const COMPARISON_OPERATORS = ['==', '!=', '<', '<=', '>', '>='] as const;
export const LOGIC_OPERATORS = ['and', 'or', '!', 'in', 'var'] as const;
const OPERATORS: readonly string[] = [...COMPARISON_OPERATORS, ...LOGIC_OPERATORS];

export interface ConditionIssue {
  /** Path inside the condition, e.g. ["and", 1, "=="]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Structural check: known operators, right arity, `var` names given as text. */
export function checkCondition(node: unknown, path: (string | number)[] = []): ConditionIssue[] {
  if (node === null || ['string', 'number', 'boolean'].includes(typeof node)) return [];
  if (Array.isArray(node)) return node.flatMap((n, i) => checkCondition(n, [...path, i]));
  if (!isPlainObject(node)) return [{ path, message: 'expected a value or an {operator: arguments} object' }];
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    return [
      { path, message: `an operator object has exactly one key; found ${keys.length} (${keys.join(', ')})` },
    ];
  }
  const op = keys[0] as string;
  const args = node[op];
  const at = [...path, op];
  if (!OPERATORS.includes(op)) {
    return [{ path: at, message: `unknown operator "${op}"; use one of ${OPERATORS.join(', ')}` }];
  }
  if (op === 'var') {
    const name = Array.isArray(args) ? args[0] : args;
    if (typeof name !== 'string' || name.length === 0) {
      return [{ path: at, message: 'var takes a name such as "answers.window" or "exception.channel"' }];
    }
    return [];
  }
  const list = Array.isArray(args) ? args : [args];
  if (op === '!' && list.length !== 1) return [{ path: at, message: '"!" takes one argument' }];
  if ((COMPARISON_OPERATORS as readonly string[]).includes(op) || op === 'in') {
    if (list.length !== 2) return [{ path: at, message: `"${op}" takes two arguments` }];
  }
  if ((op === 'and' || op === 'or') && list.length === 0) {
    return [{ path: at, message: `"${op}" takes at least one argument` }];
  }
  return list.flatMap((n, i) => checkCondition(n, [...at, i]));
}

/** Every `var` name a condition reads, so a checker can insist they exist and come earlier. */
export function conditionVars(node: Condition): string[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return (node as readonly Condition[]).flatMap(conditionVars);
  const [op, args] = Object.entries(node)[0] ?? [];
  if (op === undefined) return [];
  if (op === 'var') {
    const name = Array.isArray(args) ? args[0] : args;
    return typeof name === 'string' ? [name] : [];
  }
  return conditionVars(args as Condition);
}

/** The values a condition can read: plain data, looked up by dotted path. */
export type ConditionData = Readonly<Record<string, unknown>>;

function lookup(data: ConditionData, name: string): unknown {
  let current: unknown = data;
  for (const part of name.split('.')) {
    if (!isPlainObject(current)) return null;
    current = current[part];
  }
  return current === undefined ? null : current;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const asDecimal = (v: unknown): Decimal | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === 'string' && DECIMAL.test(v)) return new Decimal(v);
  return null;
};

/** JSON Logic truthiness: empty text, empty list, 0, null and false are false. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'string' && DECIMAL.test(v)) return v !== '' && !new Decimal(v).isZero();
  return Boolean(v);
}

/**
 * Compares exactly: two numbers (or decimal strings) as decimals; otherwise text with text
 * (ISO dates sort as text). Anything else is not ordered, so `<` and friends are false.
 */
function compare(a: unknown, b: unknown): number | null {
  const da = asDecimal(a);
  const db = asDecimal(b);
  if (da && db) return da.comparedTo(db);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : null;
  if (a === null || b === null) return a === b ? 0 : null;
  return null;
}

export function evaluateCondition(node: Condition, data: ConditionData): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return (node as readonly Condition[]).map((n) => evaluateCondition(n, data));
  const [op, rawArgs] = Object.entries(node)[0] ?? [];
  if (op === undefined) return null;
  if (op === 'var') {
    const [name, fallback] = Array.isArray(rawArgs) ? rawArgs : [rawArgs, null];
    const value = lookup(data, String(name));
    return value === null ? (fallback ?? null) : value;
  }
  const args = (Array.isArray(rawArgs) ? rawArgs : [rawArgs]) as readonly Condition[];
  const at = (i: number): unknown => evaluateCondition(args[i] ?? null, data);
  switch (op) {
    case 'and':
      return args.every((a) => truthy(evaluateCondition(a, data)));
    case 'or':
      return args.some((a) => truthy(evaluateCondition(a, data)));
    case '!':
      return !truthy(at(0));
    case 'in': {
      const needle = at(0);
      const hay = at(1);
      if (Array.isArray(hay)) return hay.some((h) => compare(h, needle) === 0);
      return typeof hay === 'string' && typeof needle === 'string' && hay.includes(needle);
    }
    default: {
      const c = compare(at(0), at(1));
      switch (op) {
        case '==':
          return c === 0;
        case '!=':
          return c !== 0;
        case '<':
          return c !== null && c < 0;
        case '<=':
          return c !== null && c <= 0;
        case '>':
          return c !== null && c > 0;
        case '>=':
          return c !== null && c >= 0;
        default:
          throw new Error(`unknown operator "${op}"`);
      }
    }
  }
}
