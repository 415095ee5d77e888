import { z } from 'zod';
import { EVIDENCE_TYPE_LIST, SHA256_PATTERN } from '../evidence/file-type';
import { storableText } from '../text';

/**
 * Evidence files on the central API, content-addressed: `PUT /api/evidence/:sha256` with the
 * file's bytes as the body (Content-Type: what the operator's computer says it is) and
 * `GET /api/evidence/:sha256` for the bytes back.
 */
export const sha256Schema = z
  .string()
  .regex(SHA256_PATTERN, 'expected a SHA-256 as 64 lower-case hex digits');

export const evidenceParamsSchema = z.object({ sha256: sha256Schema }).strict();

export const evidenceUploadQuerySchema = z
  .object({
    /** The file's name on the operator's computer; only its last segment is kept, made safe. */
    name: storableText(255, { min: 1 }),
  })
  .strict();

export const evidenceTypeSchema = z.enum(EVIDENCE_TYPE_LIST);

export const evidenceUploadResponseSchema = z.object({
  sha256: sha256Schema,
  /** The type the server verified from the bytes. */
  type: evidenceTypeSchema,
  size: z.number().int().min(1),
  /** False when the server already held this file (the upload is idempotent). */
  created: z.boolean(),
});
export type EvidenceUploadResponse = z.infer<typeof evidenceUploadResponseSchema>;
