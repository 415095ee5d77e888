import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AccessTokens } from './auth/access-token';
import { refuseLateAuthentication } from './auth/authenticate';
import { resolveJwtSecret } from './auth/jwt-secret';
import { sessionLiveness } from './auth/session-liveness';
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
import { qaCalibrationRoutes } from './features/qa/calibration-routes';
import { qaReviewRoutes } from './features/qa/review-routes';
import { qaRoutes } from './features/qa/routes';
import { kpiRoutes } from './features/kpis/routes';
import { kpiDrillRoutes } from './features/kpis/drill-routes';
import { closeRoutes } from './features/close/routes';
import { exportRoutes } from './features/exports/routes';
import { reconRoutes } from './features/recon/routes';
import { ingestRoutes } from './features/ingest/routes';
import { SopRegistry } from './features/sops/registry';
import { returnDueFollowUps } from './features/work/follow-ups';
import { sopRoutes } from './features/sops/routes';
import { userRoutes } from './features/users/routes';
import { sopUploadRoutes } from './features/sops/upload-routes';
import { sopLibraryRoutes } from './features/sops/library-routes';
import { certificationRoutes } from './features/certification/routes';
import { installErrorHandling } from './http/error-handler';
import { registerOpenApi } from './http/openapi';
import { installRequestTiming } from './http/request-timing';

export interface BuildAppOptions {
  db: Database;
  config: ServerConfig;
  logger?: boolean;
  /** Where the shipped SOP modules are read from (default: the repository's sops/). */
  sopsDir?: string;
  /** The clock sign-in throttling reads (tests move it past a lockout). */
  now?: () => Date;
  /** Time every request into this file (http/request-timing.ts); benches only. */
  timingFile?: string;
}

/** The HTTP app over an already-migrated database. Does not listen; `startServer` does. */
export async function buildApp({
  db,
  config,
  logger = false,
  sopsDir,
  now = () => new Date(),
  timingFile,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: 5 * 1024 * 1024,
    // request.ip is the socket's address unless the request came through a configured proxy; then
    // the nearest address in X-Forwarded-For that is not a trusted proxy. Entries a client put
    // there itself sit further left and are never read.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    // Headers, then the whole request, within clientTimeoutMs; Node checks every second (30 s by
    // default, which would let a trickling client hold its socket up to 45 s). Only receiving the
    // request is bound: a long-lived event stream response is not.
    requestTimeout: config.clientTimeoutMs,
    http: {
      headersTimeout: config.clientTimeoutMs,
      requestTimeout: config.clientTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.clientTimeoutMs),
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('authUser', null);
  installErrorHandling(app);
  app.addHook('onRoute', refuseLateAuthentication);
  if (timingFile) installRequestTiming(app, timingFile);

  const tokens = new AccessTokens(
    await resolveJwtSecret(db, config.jwtSecret),
    config.accessTokenTtlSeconds,
    sessionLiveness(db),
  );

  await registerOpenApi(app, config.version);
  await app.register(healthRoutes, { db, version: config.version });
  await app.register(authRoutes, {
    db,
    tokens,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    loginThrottle: config.loginThrottle,
    now,
  });
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
  await app.register(syncRoutes, {
    db,
    tokens,
    events,
    sequencer,
    sops,
    maxStreamsPerUser: config.maxEventStreamsPerUser,
    ...(config.syncProtocols ? { protocols: config.syncProtocols } : {}),
  });
  await app.register(sopRoutes, { tokens, sops });
  await app.register(sopUploadRoutes, { db, tokens, sequencer });
  await app.register(sopLibraryRoutes, { db, tokens, sequencer, sops });
  await app.register(certificationRoutes, { db, tokens, sequencer });
  await app.register(approvalRoutes, { db, tokens, sequencer });
  await app.register(exceptionRoutes, { db, tokens });
  await app.register(workRoutes, { db, tokens, config, sequencer });
  await app.register(conflictRoutes, { db, tokens });
  await app.register(userRoutes, { db, tokens, sequencer });
  await app.register(evidenceRoutes, { db, tokens });
  await app.register(qaRoutes, { db, tokens, sequencer });
  await app.register(kpiRoutes, { db, tokens, now });
  await app.register(kpiDrillRoutes, { db, tokens });
  await app.register(closeRoutes, { db, tokens, sequencer });
  await app.register(exportRoutes, { db, tokens, sequencer });
  await app.register(qaReviewRoutes, { db, tokens, sequencer, sops });
  await app.register(qaCalibrationRoutes, { db, tokens, sequencer });
  await app.register(reconRoutes, { db, tokens, sequencer });
  await app.register(ingestRoutes, { db, tokens });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
