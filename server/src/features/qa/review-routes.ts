import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  disputeDecisionBodySchema,
  disputeIdParamsSchema,
  disputeResponseSchema,
  disputesQuerySchema,
  disputesResponseSchema,
  myReviewsQuerySchema,
  openDisputeBodySchema,
  reviewIdParamsSchema,
  reviewResponseSchema,
  reviewsQuerySchema,
  reviewsResponseSchema,
  reviewSummarySchema,
} from '@shared/api/qa-reviews';
import { submitReviewBodySchema } from '@shared/qa/rubric';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import type { SopRegistry } from '../sops/registry';
import { listDisputes } from './disputes-read';
import { decideDispute, openDispute } from './disputes-repo';
import { listMyReviews, listReviews, readReview } from './reviews-repo';
import { submitReview } from './review-submit';

export interface QaReviewPluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
  sops: SopRegistry;
}

const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema } as const;
const changeErrors = { ...errors, 404: apiErrorSchema, 409: apiErrorSchema } as const;
const security = [{ bearerAuth: [] }];

/**
 * QA reviews and disputes (issue 15). Reviewers (qa) work the sample inbox; the operator whose
 * work was scored sees and disputes it only once it is scored; leads decide disputes. Who may do
 * what beyond the role (own work, own review) is checked in the repos.
 */
export const qaReviewRoutes: FastifyPluginAsyncZod<QaReviewPluginOptions> = async (
  app,
  { db, tokens, sequencer, sops },
) => {
  const seal = (log: { error: (o: object, m: string) => void }): Promise<void> =>
    sequencer.kick().then(
      () => undefined,
      (error: unknown) => log.error({ err: error }, 'sequencer pass failed'),
    );

  app.get(
    '/api/qa/reviews',
    {
      onRequest: requireUser(tokens, { roles: ['qa'] }),
      schema: {
        tags: ['qa'],
        operationId: 'listQaReviews',
        summary: "A reviewer's sample inbox (pending) or their reviews in another state",
        security,
        querystring: reviewsQuerySchema,
        response: { 200: reviewsResponseSchema, ...errors },
      },
    },
    async (request) => ({ reviews: await listReviews(db, currentUser(request), request.query) }),
  );

  app.get(
    '/api/qa/my-reviews',
    {
      onRequest: requireUser(tokens, { roles: ['operator'] }),
      schema: {
        tags: ['qa'],
        operationId: 'listMyQaReviews',
        summary: 'Scored reviews of the caller’s own work, newest first',
        security,
        querystring: myReviewsQuerySchema,
        response: { 200: reviewsResponseSchema, ...errors },
      },
    },
    async (request) => ({ reviews: await listMyReviews(db, currentUser(request), request.query.limit) }),
  );

  app.get(
    '/api/qa/reviews/:id',
    {
      onRequest: requireUser(tokens, { roles: ['operator', 'qa', 'lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'getQaReview',
        summary: 'A review with the item, the operator’s answers, evidence, notes, resolution and rubric',
        security,
        params: reviewIdParamsSchema,
        response: { 200: reviewResponseSchema, ...errors, 404: apiErrorSchema },
      },
    },
    async (request) => ({ review: await readReview(db, sops, currentUser(request), request.params.id) }),
  );

  app.post(
    '/api/qa/reviews/:id/submit',
    {
      onRequest: requireUser(tokens, { roles: ['qa'] }),
      schema: {
        tags: ['qa'],
        operationId: 'submitQaReview',
        summary: 'Score a review (never of your own work); a fail sends the item back as rework',
        security,
        params: reviewIdParamsSchema,
        body: submitReviewBodySchema,
        response: { 200: z.object({ review: reviewSummarySchema }), ...changeErrors },
      },
    },
    async (request) => {
      const review = await submitReview(db, sops, currentUser(request), request.params.id, request.body);
      await seal(request.log);
      return { review };
    },
  );

  app.post(
    '/api/qa/reviews/:id/dispute',
    {
      onRequest: requireUser(tokens, { roles: ['operator'] }),
      schema: {
        tags: ['qa'],
        operationId: 'disputeQaReview',
        summary: 'Contest failed items of a review of your own work (once)',
        security,
        params: reviewIdParamsSchema,
        body: openDisputeBodySchema,
        response: { 200: disputeResponseSchema, ...changeErrors },
      },
    },
    async (request) => {
      const result = await openDispute(db, currentUser(request), request.params.id, request.body);
      await seal(request.log);
      return result;
    },
  );

  app.get(
    '/api/qa/disputes',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'listQaDisputes',
        summary: 'Disputes waiting for a lead (or decided)',
        security,
        querystring: disputesQuerySchema,
        response: { 200: disputesResponseSchema, ...errors },
      },
    },
    async (request) => ({ disputes: await listDisputes(db, request.query) }),
  );

  app.post(
    '/api/qa/disputes/:id/decision',
    {
      onRequest: requireUser(tokens, { roles: ['lead', 'admin'] }),
      schema: {
        tags: ['qa'],
        operationId: 'decideQaDispute',
        summary: 'Accept, partly accept or reject a dispute (never on your own review); locks the score',
        security,
        params: disputeIdParamsSchema,
        body: disputeDecisionBodySchema,
        response: { 200: disputeResponseSchema, ...changeErrors },
      },
    },
    async (request) => {
      const result = await decideDispute(db, currentUser(request), request.params.id, request.body);
      await seal(request.log);
      return result;
    },
  );
};
