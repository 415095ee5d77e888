import { z } from 'zod';
import { sha256Schema, evidenceTypeSchema } from '../api/evidence';
import { storableText } from '../text';
import { EVIDENCE_MAX_BYTES } from './file-type';

/** Base64 of at most EVIDENCE_MAX_BYTES (+1 byte, so "too big" is told as such, not as malformed). */
const MAX_BASE64 = Math.ceil((EVIDENCE_MAX_BYTES + 1) / 3) * 4;

/**
 * The bridge's `evidence.attach`: the file the operator picked or dropped, as bytes (base64, so
 * the same input crosses Electron IPC and the browser host's JSON) with the name and the type
 * the renderer's File object declared. Never a path: the main process reads no file the
 * renderer names.
 */
export const evidenceAttachInputSchema = z
  .object({
    name: storableText(255, { min: 1, minMessage: 'the file has no name' }),
    /** What the browser says the file is (often empty for CSV); the bytes decide. */
    declaredType: z.string().max(200),
    data: z
      .string()
      .max(MAX_BASE64, 'the file is larger than 10 MB')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected the file as base64'),
  })
  .strict();
export type EvidenceAttachInput = z.infer<typeof evidenceAttachInputSchema>;

export const evidenceReadInputSchema = z.object({ sha256: sha256Schema }).strict();

/** A file from this computer's evidence store, to view or save. */
export const evidenceFileSchema = z.object({
  sha256: sha256Schema,
  name: z.string(),
  type: evidenceTypeSchema,
  size: z.number().int().min(1),
  data: z.string(),
});
export type EvidenceFileView = z.infer<typeof evidenceFileSchema>;
