import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findViolations } from '../../scripts/import-rules';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import boundaries', () => {
  it('accepts the allowed directions', () => {
    const root = tree({
      'shared/a.ts': "import { z } from 'zod';\nexport const a = z.string();",
      'renderer/src/b.tsx': "import { a } from '../../shared/a';",
      'server/src/c.ts': "import { a } from '../../shared/a';\nimport { readFileSync } from 'node:fs';",
      'electron/services/d.ts': "import Database from 'better-sqlite3';\nimport { a } from '../../shared/a';",
      'electron/main.ts': "import { app } from 'electron';\nimport { d } from './services/d';",
    });
    expect(findViolations(root)).toEqual([]);
  });

  it('names the file, line and reason of each forbidden import', () => {
    const root = tree({
      'renderer/src/x.ts': "// ok\nimport { s } from '../../server/src/app';",
      'renderer/src/y.ts': "import fs from 'node:fs';",
      'electron/services/z.ts': "import { ipcMain } from 'electron';",
      'electron/browser-host/h.ts': "const e = require('electron');",
      'shared/w.ts': "export * from '../electron/services/z';",
      'shared/v.ts': "import type { X } from '../renderer/src/x';",
      'server/src/u.ts': "const r = await import('../../renderer/src/x');",
    });
    const found = findViolations(root)
      .map((v) => `${v.file}:${v.line} ${v.reason}`)
      .sort();
    expect(found).toEqual([
      'electron/browser-host/h.ts:1 electron/browser-host/ may not import electron',
      'electron/services/z.ts:1 electron/services/ may not import electron',
      'renderer/src/x.ts:2 renderer/ may not import from server/',
      'renderer/src/y.ts:1 renderer/ may not import the Node built-in "node:fs"',
      'server/src/u.ts:1 server/ may not import from renderer/',
      'shared/v.ts:1 shared/ may import only shared/',
      'shared/w.ts:1 shared/ may import only shared/',
    ]);
  });

  it('holds for this repository', () => {
    expect(findViolations(process.cwd())).toEqual([]);
  });
});
