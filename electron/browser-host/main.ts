import { resolve } from 'node:path';
import { startBrowserHost } from './host';

/**
 * Browser mode from the command line:
 *   LEDGERDESK_SERVER_URL (http://127.0.0.1:4780), LEDGERDESK_CLIENT_DATA (.data/client),
 *   PORT (4781), LEDGERDESK_RENDERER_DIR (out/renderer).
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4781);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
  const host = await startBrowserHost({
    port,
    dataDir: resolve(process.env.LEDGERDESK_CLIENT_DATA ?? '.data/client'),
    serverUrl: process.env.LEDGERDESK_SERVER_URL ?? 'http://127.0.0.1:4780',
    rendererDir: resolve(process.env.LEDGERDESK_RENDERER_DIR ?? 'out/renderer'),
  });
  console.log(`Ledgerdesk (browser mode): ${host.url}`);
  const shutdown = (): void => {
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`browser host failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
