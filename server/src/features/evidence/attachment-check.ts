import { attachmentRefsOf } from '@shared/evidence/refs';
import type { AttachmentRef } from '@shared/sop/module';
import type { Mutation } from '@shared/sync/mutations';
import type { Queryable } from '../../db/types';
import { uploadedBy } from './repo';

/** The files a pushed result's checklist names. */
export const attachmentsOf = (m: Mutation): AttachmentRef[] =>
  m.body.kind === 'exception.resolve' ? attachmentRefsOf(m.body.checklist.answers) : [];

/**
 * Why each resolve of the batch may not name its files: every file it names by SHA-256 must have
 * been uploaded by the pushing user (a hash alone proves nothing), and the type and size it
 * states must be the ones the server verified, since the SOP's accept list and size limit are
 * judged on them. Mutations with no problem are absent from the map.
 */
export async function attachmentProblems(
  tx: Queryable,
  userId: string,
  mutations: readonly Mutation[],
): Promise<Map<string, string[]>> {
  const named = mutations.map((m) => ({ m, refs: attachmentsOf(m).filter((r) => r.sha256 !== undefined) }));
  const hashes = named.flatMap(({ refs }) => refs.map((r) => r.sha256 as string));
  const held = await uploadedBy(tx, userId, hashes);
  const problems = new Map<string, string[]>();
  for (const { m, refs } of named) {
    const found: string[] = [];
    for (const ref of refs) {
      const blob = held.get(ref.sha256 as string);
      const label = `attached file ${ref.sha256?.slice(0, 12) ?? ''}`;
      if (!blob) found.push(`${label} was never uploaded by you; sync again from the computer that holds it`);
      else if (blob.type !== ref.type || blob.size !== ref.size) {
        found.push(`${label} is a ${blob.type} of ${blob.size} bytes, not what the result says`);
      }
    }
    if (found.length > 0) problems.set(m.mutationId, found);
  }
  return problems;
}
