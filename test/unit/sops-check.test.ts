import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSopProblem, parseSopModule } from '@shared/sop/parse';
import { tempDir } from '../support/temp-dir';

/** `npm run sops:check` as CI and trainers run it: a child process, judged by exit code and output. */
function sopsCheck(folder?: string): { status: number | null; stdout: string; stderr: string } {
  const args = ['tsx', 'scripts/sops-check.ts', ...(folder ? [folder] : [])];
  const result = spawnSync('npx', args, { cwd: resolve('.'), encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Replaces one exact piece of a copied file, and returns the 1-based line where the new text sits. */
function edit(root: string, file: string, from: string, to: string): number {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" is not unique in ${file}`);
  writeFileSync(path, text.slice(0, at) + to + text.slice(at + from.length));
  return text.slice(0, at).split('\n').length;
}

const tmp = tempDir('sops-check');
afterAll(() => tmp.remove());

describe('sops:check', () => {
  it('passes the shipped modules: one per exception type, 16 in all', () => {
    const { status, stdout, stderr } = sopsCheck();
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^sops:check: 16 modules, \d+ steps, \d+ exercises: ok$/m);
  });

  it('fails a broken copy, naming file, line and field of each problem', () => {
    const root = tmp.path('sops');
    cpSync(resolve('sops'), root, { recursive: true });

    // An unknown resolution code in a manifest.
    const codeLine = edit(root, 'usage-mismatch/module.yaml', "- code: '53'", "- code: '99'");
    // An unknown field type in a step's front matter.
    const typeLine = edit(
      root,
      'short-payment/steps/withholding-certificate.md',
      'type: file',
      'type: signature',
    );
    // A step condition that reads an answer given only in a later step (on the line after "kind").
    const whenLine = edit(
      root,
      'fx-variance/steps/pricing-basis.md',
      'kind: decision\n',
      "kind: decision\nwhen: { '==': [{ var: answers.rate-verdict }, rounding] }\n",
    );

    const { status, stdout, stderr } = sopsCheck(root);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^usage-mismatch/module\\.yaml:${codeLine} resolutions\\[0\\]\\.code: .*"53"`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^short-payment/steps/withholding-certificate\\.md:${typeLine} fields\\[0\\]\\.type: `),
      ),
    );
    expect(lines).toContain(
      `fx-variance/steps/pricing-basis.md:${whenLine + 1} when: "answers.rate-verdict" is not an answer of an earlier step`,
    );
    expect(stderr).toMatch(/sops:check: 3 problem\(s\) in /);
  });
});

describe('sops:check on a single module folder', () => {
  const manifest = [
    'id: tiny',
    'version: 1.0.0',
    'title: Tiny',
    'summary: One step.',
    'appliesTo: [usage_mismatch]',
    'steps: [look]',
    'resolutions:',
    '  - { code: NEEDS_INVESTIGATION, actions: [escalate] }',
  ].join('\n');

  it('refuses an empty "when", which would hide its step for ever', () => {
    const step = '---\ntitle: Look\nkind: check\nconfirm: Looked\nwhen:\n---\nBody.';
    const result = parseSopModule('tiny', [
      { path: 'module.yaml', text: manifest },
      { path: 'steps/look.md', text: step },
    ]);
    expect(result.problems.map(formatSopProblem)).toEqual([
      'tiny/steps/look.md:5 when: empty condition: write one, or leave "when" out',
    ]);
  });
});
