import { canonicalJson } from './versioning';
import type { SopModule } from './module';

/**
 * Side-by-side differences between two versions of a module, as data the library screen lays
 * out in two columns: each row has the left (`from`) and right (`to`) value, null where absent.
 */
export type DiffChange = 'added' | 'removed' | 'changed' | 'same';

export interface DiffRow<T> {
  readonly key: string;
  readonly change: DiffChange;
  readonly from: T | null;
  readonly to: T | null;
}

export interface SopDiff {
  readonly from: string;
  readonly to: string;
  readonly steps: DiffRow<unknown>[];
  readonly fields: DiffRow<unknown>[];
  readonly conditions: DiffRow<unknown>[];
  readonly codes: DiffRow<unknown>[];
  readonly thresholds: DiffRow<unknown>[];
  readonly passMark: DiffRow<unknown>[];
}

function rows<T>(left: ReadonlyMap<string, T>, right: ReadonlyMap<string, T>): DiffRow<T>[] {
  const keys = [...left.keys(), ...[...right.keys()].filter((k) => !left.has(k))];
  return keys.map((key) => {
    const [from, to] = [left.get(key) ?? null, right.get(key) ?? null];
    const change: DiffChange =
      from === null
        ? 'added'
        : to === null
          ? 'removed'
          : canonicalJson(from) === canonicalJson(to)
            ? 'same'
            : 'changed';
    return { key, change, from, to };
  });
}

function parts(m: SopModule) {
  const steps = new Map<string, unknown>();
  const fields = new Map<string, unknown>();
  const conditions = new Map<string, unknown>();
  m.stepList.forEach((s, i) => {
    steps.set(s.id, {
      position: i + 1,
      title: s.title,
      kind: s.kind,
      required: s.required,
      confirm: s.confirm ?? null,
    });
    for (const f of s.fields) fields.set(`${s.id}.${f.id}`, f);
    if (s.when !== undefined) conditions.set(`step ${s.id}`, s.when);
  });
  const codes = new Map<string, unknown>();
  for (const r of m.resolutions) {
    codes.set(r.code, r.actions);
    if (r.when !== undefined) conditions.set(`resolution ${r.code}`, r.when);
  }
  const thresholds = new Map<string, unknown>();
  for (const a of m.approvals) {
    for (const [currency, above] of Object.entries(a.above)) thresholds.set(`${a.action} ${currency}`, above);
  }
  const passMark = new Map<string, unknown>();
  if (m.certification) passMark.set('passMarkPercent', m.certification.passMarkPercent);
  return { steps, fields, conditions, codes, thresholds, passMark };
}

export function diffModules(from: SopModule, to: SopModule): SopDiff {
  const [a, b] = [parts(from), parts(to)];
  return {
    from: from.version,
    to: to.version,
    steps: rows(a.steps, b.steps),
    fields: rows(a.fields, b.fields),
    conditions: rows(a.conditions, b.conditions),
    codes: rows(a.codes, b.codes),
    thresholds: rows(a.thresholds, b.thresholds),
    passMark: rows(a.passMark, b.passMark),
  };
}
