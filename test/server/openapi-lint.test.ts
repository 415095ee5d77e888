import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/start';

/**
 * The served OpenAPI document passes `redocly lint` (its recommended ruleset) with no errors.
 * One warning remains by design: operation-4xx-response on GET /api/health, which takes no input
 * and has no client error to describe.
 */
describe('OpenAPI document', () => {
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'ledgerdesk-openapi-'));
  });

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes redocly lint with zero errors', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as unknown;
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const result = spawnSync('npx', ['redocly', 'lint', file, '--format=summary'], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 60_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output).not.toMatch(/^error/m);
    expect(output).toMatch(/valid/i);
  });
});
