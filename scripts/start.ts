/**
 * `npm start`: the product on its embedded defaults. Builds the app, starts the central API on
 * embedded PGlite with demo data (first run seeds it), then opens the desktop app pointed at it:
 * Electron where its binary is installed, otherwise browser mode with the same services.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startBrowserHost } from '../electron/browser-host/host';
import { startServer } from '../server/src/start';
import { electronBinary } from './electron-binary';

const root = process.cwd();
const dataRoot = process.env.LEDGERDESK_DATA ?? join(root, '.data');
const serverPort = Number(process.env.PORT ?? 4780);
const hostPort = Number(process.env.LEDGERDESK_HOST_PORT ?? 4781);

async function main(): Promise<void> {
  if (!process.argv.includes('--no-build')) {
    console.log('Building the desktop app (electron-vite build)...');
    const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('the build failed; see the messages above');
  }

  console.log('Starting the central API on embedded PGlite (demo data is seeded on first run)...');
  const server = await startServer({
    port: serverPort,
    pgliteDir: join(dataRoot, 'server'),
    demo: true,
    logger: false,
  });
  console.log(`Central API: ${server.url}  (OpenAPI at ${server.url}/api/openapi.json)`);

  const closers: (() => Promise<void>)[] = [server.close];
  const shutdown = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  const binary = electronBinary(root);
  if (binary) {
    const child = spawn(binary, ['.'], {
      stdio: 'inherit',
      env: { ...process.env, LEDGERDESK_SERVER_URL: server.url },
    });
    child.on('exit', () => void shutdown());
    return;
  }

  console.log(
    'Electron binary not installed here (it downloads from the internet on first use): opening browser mode instead.',
  );
  const host = await startBrowserHost({
    port: hostPort,
    dataDir: join(dataRoot, 'client'),
    serverUrl: server.url,
    rendererDir: join(root, 'out', 'renderer'),
  });
  closers.push(host.close);
  console.log(
    `Ledgerdesk (browser mode): ${host.url}  — sign in as operator1 / ledgerdesk-demo (also lead1, qa1, trainer1, admin1)`,
  );
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
