/**
 * Why an operator may skip an item, as the operations SOP lists them (every module shares the
 * list). "Other" needs the operator's own words; the rest may add details. The result is one
 * text, "<reason>: <details>", checked by `skipReasonSchema` like any skip reason.
 */
export const SKIP_REASONS = [
  { id: 'partner-data', label: 'Waiting for partner data', needsDetails: false },
  { id: 'specialist', label: 'Needs a specialist or another team', needsDetails: false },
  { id: 'related-item', label: 'Depends on another item I am working', needsDetails: false },
  { id: 'customer-unclear', label: 'Customer or account unclear', needsDetails: false },
  { id: 'other', label: 'Other', needsDetails: true },
] as const;
export type SkipReasonId = (typeof SKIP_REASONS)[number]['id'];

/** The fewest characters of details "Other" accepts (the skip reason itself needs 3). */
export const SKIP_DETAILS_MIN = 10;

/** The reason text sent with the skip. */
export function skipReasonText(id: SkipReasonId, details: string): string {
  const label = SKIP_REASONS.find((r) => r.id === id)?.label ?? 'Other';
  const said = details.trim();
  return said ? `${label}: ${said}` : label;
}

/** What still keeps the skip from being sent, in words; null when it can go. */
export function skipReasonProblem(id: SkipReasonId | null, details: string): string | null {
  if (id === null) return 'Choose a reason';
  const reason = SKIP_REASONS.find((r) => r.id === id);
  if (reason?.needsDetails && details.trim().length < SKIP_DETAILS_MIN)
    return `Say why in at least ${SKIP_DETAILS_MIN} characters`;
  return null;
}
