import { z } from 'zod';
import {
  disputeResponseSchema,
  disputesResponseSchema,
  reviewResponseSchema,
  reviewsResponseSchema,
  reviewSummarySchema,
} from '@shared/api/qa-reviews';
import type { qaChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';

const QA = '/api/qa';
const at = (path: string, id: string): string => path.replace(':id', encodeURIComponent(id));
const submitted = z.object({ review: reviewSummarySchema });

/**
 * Scores, disputes and decisions go straight to the server and are never queued: like an
 * approval they are controls, and the server checks who may do each (own work, own review).
 */
export function qaHandlers({ client, session }: AppContext): HandlersOf<typeof qaChannels> {
  return {
    'qa.reviews': ({ state, limit }) =>
      client().json('GET', `${QA}/reviews`, reviewsResponseSchema, session, {
        query: { state, limit: String(limit) },
      }),
    'qa.review': ({ id }) => client().json('GET', at(`${QA}/reviews/:id`, id), reviewResponseSchema, session),
    'qa.submit': ({ id, body }) =>
      client().json('POST', at(`${QA}/reviews/:id/submit`, id), submitted, session, { body }),
    'qa.myReviews': ({ limit }) =>
      client().json('GET', `${QA}/my-reviews`, reviewsResponseSchema, session, {
        query: { limit: String(limit) },
      }),
    'qa.dispute': ({ id, body }) =>
      client().json('POST', at(`${QA}/reviews/:id/dispute`, id), disputeResponseSchema, session, { body }),
    'qa.disputes': ({ state, limit }) =>
      client().json('GET', `${QA}/disputes`, disputesResponseSchema, session, {
        query: { state, limit: String(limit) },
      }),
    'qa.decideDispute': ({ id, body }) =>
      client().json('POST', at(`${QA}/disputes/:id/decision`, id), disputeResponseSchema, session, { body }),
  };
}
