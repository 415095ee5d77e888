import type { SopModule } from './module';

/**
 * Semantic versions of SOP modules. The major number is what an operator is certified on: a
 * trainer who marks a change as needing re-certification bumps it. A change an operator would
 * notice (steps, fields, conditions, resolution codes and actions, approval thresholds) needs at
 * least a minor bump; wording, exercises and the pass mark may go out as a patch.
 */

export type Semver = readonly [number, number, number];

export function parseSemver(version: string): Semver | null {
  const m = /^(\d{1,6})\.(\d{1,6})\.(\d{1,6})$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function compareSemver(a: string, b: string): number {
  const [x, y] = [parseSemver(a), parseSemver(b)];
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

export function majorOf(version: string): number {
  return parseSemver(version)?.[0] ?? 0;
}

/** Key order fixed, so equal content compares equal however it was written. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The parts of a module whose change an operator notices while working an item. */
function behaviour(m: SopModule): Record<string, string> {
  return {
    steps: canonicalJson(m.stepList.map((s) => [s.id, s.kind, s.required, s.confirm ?? null])),
    fields: canonicalJson(m.stepList.map((s) => [s.id, s.fields])),
    conditions: canonicalJson([
      ...m.stepList.map((s) => [s.id, s.when ?? null]),
      ...m.resolutions.map((r) => [r.code, r.when ?? null]),
    ]),
    resolutions: canonicalJson(m.resolutions.map((r) => [r.code, r.actions])),
    thresholds: canonicalJson(m.approvals),
    'exception types': canonicalJson([...m.appliesTo].sort()),
  };
}

/** What changed in behaviour between two versions, by name (empty: wording only). */
export function behaviourChanges(from: SopModule, to: SopModule): string[] {
  const [a, b] = [behaviour(from), behaviour(to)];
  return Object.keys(a).filter((k) => a[k] !== b[k]);
}

/**
 * Why `next` may not follow `newest` (the newest version of the module ever published), or null.
 * The same version with the same content is not a problem here: the caller treats it as done.
 */
export function versionProblem(newest: SopModule | null, next: SopModule): string | null {
  if (!parseSemver(next.version)) return `version "${next.version}" is not a semantic version`;
  if (!newest) return null;
  const order = compareSemver(next.version, newest.version);
  if (order <= 0) {
    return `version ${next.version} must be higher than ${newest.version}, the newest published version of ${next.id}`;
  }
  const [x, y] = [parseSemver(newest.version) as Semver, parseSemver(next.version) as Semver];
  const changes = behaviourChanges(newest, next);
  if (changes.length > 0 && x[0] === y[0] && x[1] === y[1]) {
    return `${changes.join(', ')} changed since ${newest.version}: that needs at least a minor version (${y[0]}.${x[1] + 1}.0), or a major one (${x[0] + 1}.0.0) when operators must re-certify`;
  }
  return null;
}
