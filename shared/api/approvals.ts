import { z } from 'zod';
import { queryInt } from './query';
import { exceptionSummarySchema } from '../exception';
import { resolutionSchema } from '../resolution';
import { checklistResultSchema } from '../sync/mutations';

export const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
export const approvalStateSchema = z.enum(APPROVAL_STATES);

/** A resolution above its SOP's threshold, waiting for (or decided by) a lead. */
export const approvalSchema = z.object({
  id: z.string(),
  exception: exceptionSummarySchema,
  resolution: resolutionSchema,
  checklist: checklistResultSchema,
  requestedBy: z.string(),
  requestedByName: z.string(),
  requestedAt: z.iso.datetime({ offset: true }),
  state: approvalStateSchema,
  decidedBy: z.string().nullable(),
  decidedAt: z.iso.datetime({ offset: true }).nullable(),
  comment: z.string().nullable(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const approvalsQuerySchema = z
  .object({
    state: approvalStateSchema.default('pending'),
    limit: queryInt({ min: 1, max: 500, default: 200 }),
  })
  .strict();
export const approvalsResponseSchema = z.object({ approvals: z.array(approvalSchema) });
export type ApprovalsResponse = z.infer<typeof approvalsResponseSchema>;

export const approvalIdParamsSchema = z.object({
  id: z.string().regex(/^\d{1,18}$/, 'expected an approval id'),
});
export const approvalDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    /** Required when rejecting: the operator gets the item back with it. */
    comment: z.string().trim().max(2000).default(''),
  })
  .strict()
  .refine((d) => d.decision === 'approve' || d.comment.length >= 3, {
    path: ['comment'],
    message: 'say why the write-off is rejected (at least 3 characters)',
  });
export type ApprovalDecision = z.input<typeof approvalDecisionSchema>;
export const approvalDecisionResponseSchema = z.object({ approval: approvalSchema });
