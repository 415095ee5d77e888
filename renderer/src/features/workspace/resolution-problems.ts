import { resolutionSchema } from '@shared/resolution';
import { issueInWords } from '../../lib/issue-words';

export type ResolutionField = 'code' | 'action' | 'amount' | 'followUpDate' | 'note';

const FIELDS: readonly ResolutionField[] = ['code', 'action', 'amount', 'followUpDate', 'note'];

interface Context {
  /** The amount rule's own sentence (sign and size against the variance), when it is broken. */
  amountIssue: string | null;
  /** Text is in the follow-up box but it is not a date. */
  followUpUnreadable: boolean;
  /** The chosen action moves money, so the amount is asked for. */
  needsAmount: boolean;
}

/**
 * What is wrong with the resolution as the operator has filled it, one sentence per field in
 * words. The schema is the one the bridge and the server apply; only its wording is replaced.
 */
export function resolutionProblems(
  resolution: unknown,
  ctx: Context,
): Partial<Record<ResolutionField, string>> {
  const out: Partial<Record<ResolutionField, string>> = {};
  const parsed = resolutionSchema.safeParse(resolution);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELDS.find((f) => f === issue.path[0]);
      if (!field || out[field]) continue;
      out[field] = issueInWords({ path: issue.path.map(String).join('.'), message: issue.message });
    }
  }
  // The schema checks the amount only once the code and action are valid; ask for it at once.
  const value = resolution as { amount?: unknown; action?: unknown };
  if (ctx.needsAmount && !value.amount && !out.amount) out.amount = 'Enter the amount';
  if (ctx.amountIssue) out.amount = ctx.amountIssue;
  if (ctx.followUpUnreadable) out.followUpDate = 'Write the follow-up date as a date, such as 09 Jul 2026';
  else if (
    value.action === 'pending_partner' &&
    !out.followUpDate &&
    !(resolution as { followUpDate?: unknown }).followUpDate
  )
    out.followUpDate = 'Choose a follow-up date, such as 09 Jul 2026';
  return out;
}
