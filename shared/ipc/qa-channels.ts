import { z } from 'zod';
import {
  disputeDecisionBodySchema,
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
} from '../api/qa-reviews';
import { submitReviewBodySchema } from '../qa/rubric';
import type { ChannelSpec } from './channel-spec';

const reviewId = reviewIdParamsSchema.shape.id;

/**
 * QA review (issue 15): the reviewer's sample inbox and scoring, the operator's view of a scored
 * review of their work and their dispute, a lead's dispute decisions. Online only: a score and a
 * decision are controls decided on the server, like an approval. The request bodies are the
 * server's own schemas under `body`, so a refinement there (a failed item needs a comment, a
 * partial acceptance names items) is checked before the call leaves the desk.
 */
export const qaChannels = {
  'qa.reviews': { input: reviewsQuerySchema, output: reviewsResponseSchema, access: 'online' },
  'qa.review': {
    input: z.object({ id: reviewId }).strict(),
    output: reviewResponseSchema,
    access: 'online',
  },
  'qa.submit': {
    input: z.object({ id: reviewId, body: submitReviewBodySchema }).strict(),
    output: z.object({ review: reviewSummarySchema }),
    access: 'online',
  },
  'qa.myReviews': { input: myReviewsQuerySchema, output: reviewsResponseSchema, access: 'online' },
  'qa.dispute': {
    input: z.object({ id: reviewId, body: openDisputeBodySchema }).strict(),
    output: disputeResponseSchema,
    access: 'online',
  },
  'qa.disputes': { input: disputesQuerySchema, output: disputesResponseSchema, access: 'online' },
  'qa.decideDispute': {
    input: z.object({ id: reviewId, body: disputeDecisionBodySchema }).strict(),
    output: disputeResponseSchema,
    access: 'online',
  },
} as const satisfies Record<string, ChannelSpec>;
