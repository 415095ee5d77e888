/**
 * The packaging settings Electronegativity cannot see: the Electron fuses electron-builder flips
 * into the shipped binary, and the process-wide sandbox switch in main.ts. Used by
 * check-electron-security.ts (CI) and test/unit/electron-packaging-security.test.ts.
 */
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * Each fuse and the value we ship. Every fuse of app-builder-lib's `FuseOptionsV1` is listed
 * (resetAdHocDarwinSignature is a signing option, not a fuse), so a default never decides one.
 */
export const REQUIRED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  // The window loads from file:// and its module scripts need it (see electron-builder.yml).
  grantFileProtocolExtraPrivileges: true,
} as const;

const builderConfigSchema = z.object({
  asar: z.boolean().optional(),
  electronFuses: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** What is wrong with the packaging configuration and main.ts; empty when all is set. */
export function packagingSecurityProblems(builderYaml: string, mainTs: string): string[] {
  const problems: string[] = [];
  const parsed = builderConfigSchema.safeParse(parse(builderYaml));
  if (!parsed.success) return ['electron-builder.yml: not a configuration object'];
  const config = parsed.data;
  if (config.asar === false) problems.push('electron-builder.yml: asar must not be false');
  const fuses = config.electronFuses ?? {};
  for (const [fuse, wanted] of Object.entries(REQUIRED_FUSES)) {
    if (!(fuse in fuses))
      problems.push(`electron-builder.yml: electronFuses.${fuse} is not set (want ${wanted})`);
    else if (fuses[fuse] !== wanted)
      problems.push(`electron-builder.yml: electronFuses.${fuse} is ${String(fuses[fuse])}, want ${wanted}`);
  }

  // enableSandbox must run at module load, before the app is ready, or it has no effect.
  const code = mainTs.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const sandbox = code.search(/^app\.enableSandbox\(\);/m);
  const ready = code.search(/app\.whenReady\(\)|app\.on\(\s*['"]ready['"]/);
  if (sandbox < 0) problems.push('electron/main.ts: app.enableSandbox() is not called at the top level');
  else if (ready >= 0 && ready < sandbox)
    problems.push('electron/main.ts: app.enableSandbox() must come before the app is ready');
  return problems;
}
