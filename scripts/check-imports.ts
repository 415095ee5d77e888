import { findViolations } from './import-rules';

const violations = findViolations(process.cwd());
for (const v of violations) console.error(`${v.file}:${v.line}  "${v.specifier}"  ${v.reason}`);
if (violations.length > 0) {
  console.error(`import boundaries: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log('import boundaries: ok');
