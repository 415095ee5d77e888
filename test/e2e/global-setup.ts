import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { startServer } from '../../server/src/start';
import { startBrowserHost } from '../../electron/browser-host/host';

/** Read by the specs: the browser host's base URL. */
export const HOST_URL_ENV = 'LEDGERDESK_E2E_URL';

/**
 * Starts the real central API (in-memory PGlite, 5,000 demo exceptions) and the browser host
 * over a fresh local data folder; returns the teardown Playwright runs after the last spec.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const rendererDir = resolve('out/renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `The e2e tests drive the built renderer, but ${join(rendererDir, 'index.html')} is missing.\n` +
        'Build it first: `npx electron-vite build` (the test script does this before `playwright test`).',
    );
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-e2e-'));
  const server = await startServer({ port: 0, demo: true, demoCount: 5000 });
  let host: Awaited<ReturnType<typeof startBrowserHost>>;
  try {
    host = await startBrowserHost({ port: 0, dataDir, serverUrl: server.url, rendererDir });
  } catch (e) {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  process.env[HOST_URL_ENV] = host.url;
  process.env.LEDGERDESK_E2E_SERVER_URL = server.url;

  return async () => {
    await host.close().catch((e: unknown) => console.error('browser host close failed:', e));
    await server.close().catch((e: unknown) => console.error('server close failed:', e));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
