import { z } from 'zod';
import {
  approvalDecisionResponseSchema,
  approvalDecisionSchema,
  approvalIdParamsSchema,
  approvalsQuerySchema,
  approvalsResponseSchema,
} from '../api/approvals';
import type { ChannelSpec } from './channel-spec';

/** A lead's approvals inbox (online only). */
export const approvalsChannels = {
  /** Leads, online only: resolutions waiting above their SOP threshold. */
  'approvals.list': { input: approvalsQuerySchema, output: approvalsResponseSchema, access: 'online' },
  'approvals.decide': {
    input: z.object({ id: approvalIdParamsSchema.shape.id }).and(approvalDecisionSchema),
    output: approvalDecisionResponseSchema,
    access: 'online',
  },
} as const satisfies Record<string, ChannelSpec>;
