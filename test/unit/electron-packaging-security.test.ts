import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { packagingSecurityProblems, REQUIRED_FUSES } from '../../scripts/packaging-security';

const builderYaml = readFileSync('electron-builder.yml', 'utf8');
const mainTs = readFileSync('electron/main.ts', 'utf8');

describe('desktop packaging security', () => {
  it('ships with every Electron fuse set explicitly and the sandbox enabled before ready', () => {
    expect(packagingSecurityProblems(builderYaml, mainTs)).toEqual([]);
  });

  it('covers every fuse electron-builder knows', () => {
    const scheme = z
      .object({
        definitions: z.object({
          FuseOptionsV1: z.object({ properties: z.record(z.string(), z.unknown()) }),
        }),
      })
      .parse(JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')));
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties).filter(
      // A signing step for macOS, not a fuse.
      (k) => k !== 'resetAdHocDarwinSignature',
    );
    expect(Object.keys(REQUIRED_FUSES).sort()).toEqual(known.sort());
  });

  it('names a fuse left to its default, or set the unsafe way', () => {
    const withoutRunAsNode = builderYaml.replace(/^\s*runAsNode: false\n/m, '');
    expect(packagingSecurityProblems(withoutRunAsNode, mainTs)).toEqual([
      'electron-builder.yml: electronFuses.runAsNode is not set (want false)',
    ]);
    const inspectOn = builderYaml.replace(
      'enableNodeCliInspectArguments: false',
      'enableNodeCliInspectArguments: true',
    );
    expect(packagingSecurityProblems(inspectOn, mainTs)).toEqual([
      'electron-builder.yml: electronFuses.enableNodeCliInspectArguments is true, want false',
    ]);
  });

  it('refuses a main.ts that enables the sandbox late or not at all', () => {
    expect(packagingSecurityProblems(builderYaml, mainTs.replace(/^app\.enableSandbox\(\);$/m, ''))).toEqual([
      'electron/main.ts: app.enableSandbox() is not called at the top level',
    ]);
    expect(
      packagingSecurityProblems(
        builderYaml,
        mainTs.replace(/^app\.enableSandbox\(\);$/m, '// app.enableSandbox();'),
      ),
    ).toHaveLength(1);
    const late = mainTs.replace(/^app\.enableSandbox\(\);$/m, '') + '\napp.enableSandbox();\n';
    expect(packagingSecurityProblems(builderYaml, late)).toEqual([
      'electron/main.ts: app.enableSandbox() must come before the app is ready',
    ]);
  });
});
