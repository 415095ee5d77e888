import { attachmentRefSchema, type Answers, type AttachmentRef } from '../sop/module';

/** Every file an answer set names (file answers are arrays of attachment references). */
export function attachmentRefsOf(answers: Answers): AttachmentRef[] {
  const refs: AttachmentRef[] = [];
  for (const value of Object.values(answers)) {
    if (!Array.isArray(value)) continue;
    for (const item of value as unknown[]) {
      const ref = attachmentRefSchema.safeParse(item);
      if (ref.success) refs.push(ref.data);
    }
  }
  return refs;
}
