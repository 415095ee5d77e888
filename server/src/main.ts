import type { ServerConfig } from './config';
import { startServer } from './start';

function wholeNumber(name: string, min: number): number | undefined {
  const raw = process.env[name];
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be a whole number >= ${min}, got "${raw}"`);
  return n;
}

/**
 * CLI: `npx tsx server/src/main.ts`. Configuration comes from the environment only. Prints the
 * URL it actually listens on (PORT=0 picks a free port; tests and benches parse this line).
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = env.PORT ? Number(env.PORT) : 4780;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0-65535, got "${env.PORT}"`);
  const demoCount = env.LEDGERDESK_DEMO_COUNT ? Number(env.LEDGERDESK_DEMO_COUNT) : undefined;
  if (demoCount !== undefined && (!Number.isInteger(demoCount) || demoCount < 0)) {
    throw new Error(`LEDGERDESK_DEMO_COUNT must be a whole number, got "${env.LEDGERDESK_DEMO_COUNT}"`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  const config: Partial<ServerConfig> = {};
  const leaseTtl = wholeNumber('LEDGERDESK_LEASE_TTL_SECONDS', 1);
  if (leaseTtl !== undefined) config.leaseTtlSeconds = leaseTtl;
  const goal = wholeNumber('LEDGERDESK_SLA_GOAL_SECONDS', 0);
  if (goal !== undefined) config.slaGoalWindowSeconds = goal;
  const skipCooldown = wholeNumber('LEDGERDESK_SKIP_COOLDOWN_SECONDS', 0);
  if (skipCooldown !== undefined) config.skipCooldownSeconds = skipCooldown;
  const maxLeases = wholeNumber('LEDGERDESK_MAX_LEASES', 1);
  if (maxLeases !== undefined) config.maxLeasesPerOperator = maxLeases;
  const poolSize = wholeNumber('LEDGERDESK_DB_POOL', 1);
  // Comma-separated addresses or CIDR ranges of the reverse proxies in front of this server.
  const proxies = (env.LEDGERDESK_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of proxies) {
    if (!/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(p))
      throw new Error(`LEDGERDESK_TRUSTED_PROXIES must list IP addresses or CIDR ranges, got "${p}"`);
  }
  if (proxies.length > 0) config.trustedProxies = proxies;
  const server = await startServer({
    port,
    host: env.HOST || '127.0.0.1',
    ...(databaseUrl ? { databaseUrl } : { pgliteDir: env.LEDGERDESK_SERVER_DATA || '.data/server' }),
    demo: env.LEDGERDESK_DEMO === '1',
    ...(demoCount !== undefined ? { demoCount } : {}),
    logger: env.LEDGERDESK_LOG === '1',
    ...(poolSize !== undefined ? { poolSize } : {}),
    ...(env.LEDGERDESK_TIMING_FILE ? { timingFile: env.LEDGERDESK_TIMING_FILE } : {}),
    config,
  });
  console.log(`Ledgerdesk server listening on ${server.url} (${databaseUrl ? 'PostgreSQL' : 'PGlite'})`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`error while stopping on ${signal}:`, error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
