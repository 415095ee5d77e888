/**
 * Runs Electronegativity over electron/ and fails on any finding above LOW severity that is not
 * accepted, with a reason, in scripts/electronegativity-accepted.json; then checks the fuses and
 * the sandbox switch it cannot see (packaging-security.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { packagingSecurityProblems } from './packaging-security';

const acceptedSchema = z.object({
  accepted: z.array(z.object({ check: z.string(), file: z.string(), reason: z.string().min(20) })),
});

const electronVersion = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8'))).version;

const out = join(mkdtempSync(join(tmpdir(), 'eneg-')), 'findings.csv');
execFileSync(
  'npx',
  [
    '--no-install',
    'electronegativity',
    '-i',
    'electron',
    '-r',
    '-e',
    electronVersion,
    '-v',
    'false',
    '-o',
    out,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

const accepted = acceptedSchema.parse(
  JSON.parse(readFileSync('scripts/electronegativity-accepted.json', 'utf8')),
).accepted;
const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
const findings = rows.map((line) => {
  const cells = [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => m[2] ?? m[1] ?? '');
  return {
    check: cells[0] ?? '',
    severity: (cells[1] ?? '').toUpperCase(),
    file: cells[3] ?? '',
    location: cells[4] ?? '',
  };
});

const blocking = findings.filter(
  (f) =>
    !['LOW', 'INFORMATIONAL'].includes(f.severity) &&
    !accepted.some((a) => a.check === f.check && a.file === f.file),
);
for (const f of findings) {
  const note = blocking.includes(f) ? 'BLOCKING' : 'ok';
  console.log(`${note.padEnd(8)} ${f.severity.padEnd(6)} ${f.check} ${f.file}:${f.location}`);
}
if (blocking.length > 0) {
  console.error(`electronegativity: ${blocking.length} finding(s) above LOW without an accepted reason`);
  process.exit(1);
}
console.log(`electronegativity: ${findings.length} finding(s), none blocking`);

const packaging = packagingSecurityProblems(
  readFileSync('electron-builder.yml', 'utf8'),
  readFileSync('electron/main.ts', 'utf8'),
);
for (const problem of packaging) console.error(problem);
if (packaging.length > 0) process.exit(1);
console.log('packaging: every Electron fuse set explicitly, sandbox enabled before ready');
