import { z } from 'zod';
import type { ExceptionStatus } from './exception-status';
import { moneySchema } from './money';
import { storableText } from './text';

/**
 * Resolution and reason codes, kept as data: ANSI X12 element 426 (adjustment reason) codes
 * used in billing disputes, plus marketplace-specific codes. SOP modules list which of these
 * each exception type allows.
 */
export const RESOLUTION_CODES = {
  '01': 'Pricing error',
  '19': 'Duplicate billing',
  '24': 'Incorrect discount',
  '29': 'Fee incorrect',
  '33': 'Currency exchange incorrect',
  '43': 'Missing discount',
  '52': 'Previous overpayment',
  '53': 'Previous underpayment',
  METER_LATE_EXPIRED: 'Metering record past the partner window',
  METER_DUPLICATE: 'Duplicate metering record',
  CUSTOMER_NOT_SUBSCRIBED: 'Customer not subscribed',
  FEE_TIER_WRONG: 'Listing fee tier wrong',
  PRIVATE_OFFER_NOT_APPLIED: 'Private offer not applied',
  ABANDONED_PAYOUT: 'Abandoned payout',
  RECOUPMENT: 'Recoupment from a later payout',
  MAPPING_ADDED: 'Missing mapping added',
  TIMING_DIFFERENCE: 'Timing difference, clears next period',
  WITHIN_TOLERANCE: 'Within tolerance',
  // Tax has no X12 426 code of its own: tax variances and tax withheld from a payment need one.
  TAX_DIFFERENCE: 'Tax difference: rate, liable party or withholding',
  // Every SOP offers escalation under this code, so an operator is never stuck when no other
  // reason fits yet (the lead re-codes the item when the cause is known).
  NEEDS_INVESTIGATION: 'Cause not established, needs investigation',
} as const;
export type ResolutionCode = keyof typeof RESOLUTION_CODES;
export const resolutionCodeSchema = z.enum(
  Object.keys(RESOLUTION_CODES) as [ResolutionCode, ...ResolutionCode[]],
);

/** What the operator does about the exception. */
export const RESOLUTION_ACTIONS = [
  'remeter_request',
  'credit_memo_request',
  'rebill',
  'partner_dispute',
  'write_off',
  'escalate',
  'pending_partner',
  'no_action',
] as const;
export const resolutionActionSchema = z.enum(RESOLUTION_ACTIONS);
export type ResolutionAction = z.infer<typeof resolutionActionSchema>;

export const resolutionSchema = z
  .object({
    code: resolutionCodeSchema,
    action: resolutionActionSchema,
    note: storableText(4000, { trim: true, min: 1, minMessage: 'say what you did and why' }),
    /** The amount written off, credited or rebilled, where the action moves money. */
    amount: moneySchema.nullable(),
    /** pending_partner only: when the item comes back to the queue. */
    followUpDate: z.iso.date().nullable(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.action === 'pending_partner' && !r.followUpDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['followUpDate'],
        message: 'pending partner needs a follow-up date',
      });
    }
    if (['write_off', 'credit_memo_request', 'rebill'].includes(r.action) && !r.amount) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `${r.action} needs the amount` });
    }
  });
export type Resolution = z.infer<typeof resolutionSchema>;

/**
 * Where a resolution's action leaves the exception. The server applies it; the desktop shows the
 * same state locally before the push is acknowledged, so both read this one rule.
 */
/**
 * Where a submitted resolution leaves its exception: held for a lead when above its SOP's
 * threshold, else statusAfterResolve. The server decides it; the desk shows the same before the push.
 */
export function statusAfterSubmit(
  resolution: Pick<Resolution, 'action'>,
  needsApproval: boolean,
): ExceptionStatus {
  return needsApproval ? 'pending_approval' : statusAfterResolve(resolution);
}

export function statusAfterResolve(resolution: Pick<Resolution, 'action'>): ExceptionStatus {
  switch (resolution.action) {
    case 'pending_partner':
      return 'pending_partner';
    case 'escalate':
      return 'escalated';
    default:
      return 'resolved';
  }
}
