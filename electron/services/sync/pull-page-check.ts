import { z } from 'zod';
import { changeSchema, pullResponseSchema, type Change, type PullResponse } from '@shared/api/sync';

/** A pull page with its changes not checked yet: checkPulledChanges does that, in slices. */
export const pullEnvelopeSchema = pullResponseSchema.extend({ changes: z.array(z.unknown()) });
export type PullEnvelope = z.output<typeof pullEnvelopeSchema>;

/**
 * Changes checked per slice. A 5,000-change page checked in one go held the event loop, and so
 * every bridge call of the window, for about as long as writing the page did.
 */
export const CHECK_SLICE = 250;

const changesSchema = z.array(changeSchema);
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Checks a page's changes against the shared schema a slice at a time, the loop free in between.
 * `invalid` makes the error to throw from the first problem ("changes.12.data.id: ...").
 */
export async function checkPulledChanges(
  page: PullEnvelope,
  invalid: (problem: string) => Error,
): Promise<PullResponse> {
  const changes: Change[] = [];
  for (let i = 0; i < page.changes.length; i += CHECK_SLICE) {
    if (i > 0) await yieldToLoop();
    const checked = changesSchema.safeParse(page.changes.slice(i, i + CHECK_SLICE));
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const [index, ...rest] = issue?.path ?? [];
      const path = ['changes', typeof index === 'number' ? i + index : index, ...rest].join('.');
      throw invalid(`${path}: ${issue?.message ?? 'invalid'}`);
    }
    for (const change of checked.data) changes.push(change);
  }
  return { changes, cursor: page.cursor, hasMore: page.hasMore };
}
