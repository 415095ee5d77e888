import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  changedEventSchema,
  pullQuerySchema,
  pullResponseSchema,
  syncEventsQuerySchema,
  updateRequiredSchema,
  type PullResponse,
} from '@shared/api/sync';
import { pushEnvelopeSchema, pushResponseSchema } from '@shared/sync/mutations';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import { seqToNumber } from '../../db/change-feed';
import type { Database } from '../../db/types';
import type { FeedSequencer } from '../../db/sequencer';
import { tooManyRequests } from '../../http/api-error';
import { writeChanged, type SyncEvents } from './events';
import { createFeedPageReader } from './feed-prefetch';
import { applyPush } from './push';
import { checkProtocolVersion, DEFAULT_PROTOCOL_RANGE, type ProtocolRange } from './protocol-version';
import type { SopRegistry } from '../sops/registry';

export interface SyncPluginOptions {
  db: Database;
  tokens: AccessTokens;
  events: SyncEvents;
  sequencer: FeedSequencer;
  sops: SopRegistry;
  /** Open event streams per user on this process; the next one is refused with 429. */
  maxStreamsPerUser: number;
  /** The sync protocol versions served (default: the previous one and the current one). */
  protocols?: ProtocolRange;
}

const HEARTBEAT_MS = 20_000;

export const syncRoutes: FastifyPluginAsyncZod<SyncPluginOptions> = async (
  app,
  { db, tokens, events, sequencer, sops, maxStreamsPerUser, protocols = DEFAULT_PROTOCOL_RANGE },
) => {
  const feed = createFeedPageReader(db);
  // Every route of this plugin (push, pull, events); hooks stay inside the plugin.
  app.addHook('onRequest', checkProtocolVersion(protocols));
  app.get(
    '/api/sync/pull',
    {
      onRequest: requireUser(tokens),
      schema: {
        tags: ['sync'],
        operationId: 'pullChanges',
        summary: 'Page through the change feed after a cursor (scoped to what the caller may see)',
        security: [{ bearerAuth: [] }],
        querystring: pullQuerySchema,
        response: {
          200: pullResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          426: updateRequiredSchema,
        },
      },
    },
    // The body is already the JSON text of a PullResponse (readFeedJson). Fastify sends a string
    // with a JSON content type as it is, so the schema above documents the response and nothing
    // re-encodes it; the type provider only knows the parsed shape, hence the cast.
    async (request, reply) => {
      const page = await feed.read(currentUser(request), request.query.cursor, request.query.limit);
      return reply.type('application/json; charset=utf-8').send(page.json as unknown as PullResponse);
    },
  );

  app.post(
    '/api/sync/push',
    {
      onRequest: requireUser(tokens, { roles: ['operator', 'lead', 'admin'] }),
      schema: {
        tags: ['sync'],
        operationId: 'pushMutations',
        summary: "Apply a batch of the client's outbox, each mutation exactly once; one result per mutation",
        security: [{ bearerAuth: [] }],
        body: pushEnvelopeSchema,
        response: {
          200: pushResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          426: updateRequiredSchema,
        },
      },
    },
    async (request) => {
      const response = await applyPush(db, sops, currentUser(request), request.body, {
        onIsolatedFailure: (error, mutationId) =>
          request.log.error({ err: error, mutationId }, 'push: one mutation could not be stored; rejected'),
      });
      // Committed; now make it visible in the feed before answering, so the client's next pull
      // sees its own results. If this pass fails, the results are still safe (committed) and the
      // sequencer's timer positions them; the client's retry would be answered `duplicate`.
      await sequencer
        .kick()
        .catch((error: unknown) => request.log.error({ err: error }, 'sequencer pass failed'));
      return response;
    },
  );

  app.get(
    '/api/sync/events',
    {
      onRequest: requireUser(tokens, { queryToken: true }),
      schema: {
        tags: ['sync'],
        operationId: 'syncEvents',
        summary:
          'Server-sent events: `changed` (data: {seq}) when feed rows the caller may see commit; then pull',
        description:
          'A text/event-stream. On connect: `retry: 2000` and one `changed` event with the current end of the feed; ' +
          'then one per relevant commit, and a `: ping` comment every 20 s. Authorization header, or ' +
          '`access_token` in the query for EventSource.',
        security: [{ bearerAuth: [] }],
        querystring: syncEventsQuerySchema,
        response: {
          200: changedEventSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          426: updateRequiredSchema,
          429: apiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const last = await db.query<{ seq: string | null }>(
        'SELECT max(pos) AS seq FROM change_feed WHERE pos IS NOT NULL',
      );
      // Checked right before subscribing (no await in between), so concurrent connects cannot all
      // pass: each stream holds a socket and a subscriber, and a token is enough to open one.
      if (events.openFor(user.id) >= maxStreamsPerUser) {
        throw tooManyRequests(
          `at most ${maxStreamsPerUser} event streams per user; close one (another window or device) first`,
          30,
        );
      }
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      stream.write('retry: 2000\n\n');
      const unsubscribe = events.subscribe(user, stream);
      writeChanged(stream, last[0]?.seq ? seqToNumber(last[0].seq) : 0);
      // Each ping also asks whether the session is still live: a sessions-ended notice lost while
      // the LISTEN connection was reconnecting must not leave the stream open for good.
      const heartbeat = setInterval(() => {
        tokens.sessionLive(user).then(
          (live) => {
            if (!live) stream.end();
            else if (!stream.writableEnded) stream.write(': ping\n\n');
          },
          (error: unknown) => request.log.error({ err: error }, 'session check failed'),
        );
      }, HEARTBEAT_MS);
      const cleanUp = (): void => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.raw.on('close', cleanUp);
      // The client may have gone while the handler awaited: 'close' has already fired then.
      if (request.raw.destroyed || stream.writableEnded) cleanUp();
    },
  );

  // preClose, not onClose: open SSE streams would keep server.close() from ever finishing.
  app.addHook('preClose', async () => events.stop());
};
