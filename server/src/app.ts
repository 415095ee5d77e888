import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AccessTokens } from './auth/access-token';
import { resolveJwtSecret } from './auth/jwt-secret';
import type { ServerConfig } from './config';
import { FeedSequencer } from './db/sequencer';
import type { Database } from './db/types';
import { authRoutes } from './features/auth/routes';
import { conflictRoutes } from './features/conflicts/routes';
import { evidenceRoutes } from './features/evidence/routes';
import { exceptionRoutes } from './features/exceptions/routes';
import { healthRoutes } from './features/health/routes';
import { SyncEvents } from './features/sync/events';
import { syncRoutes } from './features/sync/routes';
import { workRoutes } from './features/work/routes';
import { approvalRoutes } from './features/approvals/routes';
import { SopRegistry } from './features/sops/registry';
import { returnDueFollowUps } from './features/work/follow-ups';
import { sopRoutes } from './features/sops/routes';
import { userRoutes } from './features/users/routes';
import { installErrorHandling } from './http/error-handler';
import { registerOpenApi } from './http/openapi';

export interface BuildAppOptions {
  db: Database;
  config: ServerConfig;
  logger?: boolean;
  /** Where the shipped SOP modules are read from (default: the repository's sops/). */
  sopsDir?: string;
}

/** The HTTP app over an already-migrated database. Does not listen; `startServer` does. */
export async function buildApp({
  db,
  config,
  logger = false,
  sopsDir,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger, bodyLimit: 5 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('authUser', null);
  installErrorHandling(app);

  const tokens = new AccessTokens(await resolveJwtSecret(db, config.jwtSecret), config.accessTokenTtlSeconds);

  await registerOpenApi(app, config.version);
  await app.register(healthRoutes, { db, version: config.version });
  await app.register(authRoutes, { db, tokens, refreshTokenTtlSeconds: config.refreshTokenTtlSeconds });
  const events = await SyncEvents.start(db);
  // Positions whatever earlier processes committed but never sequenced (killed between COMMIT and
  // their pass), then keeps a slow background pass as the safety net.
  const sequencer = new FeedSequencer(db);
  await sequencer.kick();
  sequencer.startTimer(1000, (error) => app.log.error({ err: error }, 'sequencer pass failed'));
  app.addHook('onClose', () => sequencer.stop());
  // Pending-partner items come back on their follow-up date; checked at start and every minute.
  const sweepFollowUps = (): void => {
    returnDueFollowUps(db)
      .then((n) => (n > 0 ? sequencer.kick() : undefined))
      .catch((error: unknown) => app.log.error({ err: error }, 'follow-up sweep failed'));
  };
  sweepFollowUps();
  const followUpTimer = setInterval(sweepFollowUps, 60_000);
  followUpTimer.unref();
  app.addHook('onClose', async () => clearInterval(followUpTimer));
  const sops = await SopRegistry.open(db, sopsDir);
  await app.register(syncRoutes, { db, tokens, events, sequencer, sops });
  await app.register(sopRoutes, { tokens, sops });
  await app.register(approvalRoutes, { db, tokens, sequencer });
  await app.register(exceptionRoutes, { db, tokens });
  await app.register(workRoutes, { db, tokens, config, sequencer });
  await app.register(conflictRoutes, { db, tokens });
  await app.register(userRoutes, { db, tokens });
  await app.register(evidenceRoutes, { db, tokens });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
