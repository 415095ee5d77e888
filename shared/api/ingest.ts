import { z } from 'zod';
import { FORMAT_NAMES } from '../ingest/format-registry';
import { importProblemSchema, importSummarySchema } from '../ingest/summary';
import { storableText } from '../text';
import { apiErrorSchema } from './errors';

/** An upload is one partner or internal file; the CLI takes anything larger. */
export const INGEST_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

/** POST /api/ingest/files: the body is the file's bytes; the query names it. */
export const ingestUploadQuerySchema = z
  .object({
    /** The file's name as picked (errors and the batch cite it). */
    name: storableText(255, { min: 1, trim: true, minMessage: 'the file has no name' }),
    /** Check the file against one format instead of detecting it from the header row. */
    format: z.enum(FORMAT_NAMES as [string, ...string[]]).optional(),
  })
  .strict();
export type IngestUploadQuery = z.infer<typeof ingestUploadQuerySchema>;

/** 201 imported, 200 already imported (nothing changed). */
export const ingestUploadResponseSchema = z.object({ summary: importSummarySchema });
export type IngestUploadResponse = z.infer<typeof ingestUploadResponseSchema>;

/** 422: the file was read and refused whole; every problem names file, row and column. */
export const ingestRejectedSchema = apiErrorSchema.extend({
  problems: z.array(importProblemSchema),
  moreProblems: z.number().int().min(0),
  format: z.string().nullable(),
});
export type IngestRejected = z.infer<typeof ingestRejectedSchema>;

export const ingestBatchesQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

/**
 * One imported file. `status`: `reconciled` once a reconciliation finished after it came in,
 * else `waiting` (its rows are staged but no run has read them yet).
 */
export const ingestBatchSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  format: z.string(),
  kind: z.string(),
  rows: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  importedBy: z.string(),
  importedByName: z.string().nullable(),
  importedAt: z.iso.datetime({ offset: true }),
  status: z.enum(['waiting', 'reconciled']),
});
export type IngestBatch = z.infer<typeof ingestBatchSchema>;

export const ingestBatchesResponseSchema = z.object({ batches: z.array(ingestBatchSchema) });
export type IngestBatchesResponse = z.infer<typeof ingestBatchesResponseSchema>;
