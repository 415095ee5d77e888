import { apiErrorSchema } from '@shared/api/errors';
import type { FeedSequencer } from '../db/sequencer';

/** The error answers an authenticated route with a body, params and a target may give. */
export const TARGETED_ROUTE_ERRORS = {
  400: apiErrorSchema,
  401: apiErrorSchema,
  403: apiErrorSchema,
  404: apiErrorSchema,
  409: apiErrorSchema,
} as const;

/**
 * Seals the audit rows of a change already committed now rather than on the next timer pass; a
 * failed pass is logged, never turned into an error for a change that did happen.
 */
export async function sealNow(
  sequencer: FeedSequencer,
  log: { error: (o: object, m: string) => void },
): Promise<void> {
  await sequencer.kick().catch((error: unknown) => log.error({ err: error }, 'sequencer pass failed'));
}
