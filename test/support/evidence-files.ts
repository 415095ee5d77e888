import { createHash } from 'node:crypto';
import type { AttachmentRef } from '@shared/sop/module';
import type { MutationBody } from '@shared/sync/mutations';

/** Small real files of the allowed kinds, and things disguised as them. */
export const FILES = {
  pdf: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  png: Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
    'hex',
  ),
  csv: Buffer.from('invoice,amount\nINV-1,12.50\n'),
  html: Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>'),
  elf: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(64)]),
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126), Buffer.from('PE\u0000\u0000')]),
};

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The resolve with `refs` as its file answer: in place of the solver's metadata-only answer to a
 * file field when the checklist has one, else under a key of its own (the server checks every
 * file an answer names, whichever field holds it).
 */
export function withAttachments(body: MutationBody, refs: AttachmentRef[]): MutationBody {
  if (body.kind !== 'exception.resolve') throw new Error('only a resolve carries files');
  const answers = { ...body.checklist.answers };
  const fileKey = Object.keys(answers).find((k) => {
    const v = answers[k];
    return Array.isArray(v) && v.length > 0 && typeof v[0] === 'object';
  });
  answers[fileKey ?? 'attached-proof'] = refs;
  return { ...body, checklist: { ...body.checklist, answers } };
}
