import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layersPlugin } from '@scripts/eslint-layers';

const ROOT = '/project';
const linter = new Linter({ cwd: ROOT, configType: 'flat' });
const config: Linter.Config[] = [
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { ledgerdesk: layersPlugin },
    rules: { 'ledgerdesk/layers': 'error' },
  },
];

function problems(files: Record<string, string>): string[] {
  return Object.entries(files)
    .flatMap(([path, text]) =>
      linter
        .verify(text, config, { filename: `${ROOT}/${path}` })
        .map((m) => `${path}:${m.line} ${m.message}`),
    )
    .sort();
}

describe('the import rule (ESLint ledgerdesk/layers)', () => {
  it('accepts the allowed directions', () => {
    expect(
      problems({
        'shared/a.ts': "import { z } from 'zod';\nexport const a = z.string();",
        'renderer/src/b.tsx': "import { a } from '@shared/a';",
        'server/src/c.ts': "import { a } from '@shared/a';\nimport { readFileSync } from 'node:fs';",
        'electron/services/d.ts': "import Database from 'better-sqlite3';\nimport { a } from '@shared/a';",
        'electron/main.ts': "import { app } from 'electron';\nimport { d } from './services/d';",
        'test/server/helpers/e.ts':
          "import { buildApp } from '@server/app';\nimport { x } from '../../unit/x';",
      }),
    ).toEqual([]);
  });

  it('names the line and reason of each forbidden import', () => {
    expect(
      problems({
        'renderer/src/x.ts': "// ok\nimport { s } from '../../server/src/app';",
        'renderer/src/y.ts': "import fs from 'node:fs';",
        'renderer/src/features/q/z.ts': "import { w } from '@electron/services/work';",
        'electron/services/z.ts': "import { ipcMain } from 'electron';",
        'electron/services/sync/s.ts': "import { x } from '../../ipc';",
        'electron/browser-host/h.ts': "const e = require('electron');",
        'shared/w.ts': "export * from '../electron/services/z';",
        'shared/v.ts': "import type { X } from '../renderer/src/x';",
        'server/src/u.ts': "const r = await import('../../renderer/src/x');",
        'test/unit/t.ts': "import { a } from '../../../shared/a';",
      }),
    ).toEqual([
      'electron/browser-host/h.ts:1 "electron": electron/browser-host/ may not import electron',
      'electron/services/sync/s.ts:1 "../../ipc": electron/services/ may not import the Electron-only electron/ipc',
      'electron/services/z.ts:1 "electron": electron/services/ may not import electron',
      'renderer/src/features/q/z.ts:1 "@electron/services/work": renderer/ may not import from electron/',
      'renderer/src/x.ts:2 "../../server/src/app": renderer/ may not import from server/',
      'renderer/src/y.ts:1 "node:fs": renderer/ may not import the Node built-in "node:fs"',
      'server/src/u.ts:1 "../../renderer/src/x": server/ may not import from renderer/',
      'shared/v.ts:1 "../renderer/src/x": shared/ may import only shared/',
      'shared/w.ts:1 "../electron/services/z": shared/ may import only shared/',
      'test/unit/t.ts:1 "../../../shared/a": climbs 3 folders; use an alias such as @shared/',
    ]);
  });
});
