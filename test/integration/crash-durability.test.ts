import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../electron/services/store/local-store';
import { tempDir } from '../support/temp-dir';

const writer = resolve(__dirname, 'fixtures/crash-writer.ts');
const tmp = tempDir('crash');
const dir = tmp.dir;
afterAll(() => tmp.remove());

/** Runs the writer until it has reported `atLeast` commits (plus a random extra delay), then SIGKILLs it. */
function runAndKill(file: string, first: number, atLeast: number): Promise<string[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, String(first)], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: string[] = [];
    let buffer = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('EX-')) committed.push(line);
      if (!killing && committed.length >= atLeast) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 50));
      }
    });
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') fail(new Error(`writer exited on its own (${signal ?? _code}): ${stderr}`));
      else done(committed);
    });
  });
}

describe('the local store survives a process crash mid-write', () => {
  it('keeps every reported commit and an intact file across repeated SIGKILLs', async () => {
    const file = join(dir, 'crash.sqlite');
    const reported = new Set<string>();
    let next = 1;
    for (let round = 0; round < 4; round += 1) {
      const ids = await runAndKill(file, next, 300 + round * 200);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) reported.add(id);
      next += 100_000;

      const raw = new Database(file);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      raw.close();

      const store = openLocalStore(file);
      const missing = [...reported].filter((id) => store.exceptions.get(id) === null);
      expect(missing).toEqual([]);
      store.close();
    }
  });
});
