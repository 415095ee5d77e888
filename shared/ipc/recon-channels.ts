import { z } from 'zod';
import { INGEST_UPLOAD_MAX_BYTES, ingestBatchesResponseSchema, ingestUploadQuerySchema } from '../api/ingest';
import {
  accountMappingBodySchema,
  accountMappingResponseSchema,
  accountMappingsResponseSchema,
  reconRunDetailSchema,
  reconRunParamsSchema,
  reconRunsResponseSchema,
  runReconBodySchema,
  runReconResponseSchema,
  skuMappingBodySchema,
  skuMappingResponseSchema,
  skuMappingsResponseSchema,
} from '../api/recon';
import { importSummarySchema } from '../ingest/summary';
import { noInput, type ChannelSpec } from './channel-spec';

/** Base64 of at most the upload limit (+1 byte, so "too big" is told as such, not as malformed). */
const MAX_BASE64 = Math.ceil((INGEST_UPLOAD_MAX_BYTES + 1) / 3) * 4;

/**
 * A partner or internal file the lead picked, as bytes (base64, so the same input crosses
 * Electron IPC and the browser host's JSON). Never a path: the main process reads no file the
 * renderer names.
 */
export const reconUploadInputSchema = z
  .object({
    name: ingestUploadQuerySchema.shape.name,
    format: ingestUploadQuerySchema.shape.format,
    data: z
      .string()
      .min(1, 'the file is empty')
      .max(MAX_BASE64, 'the file is larger than 20 MB')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected the file as base64'),
  })
  .strict();
export type ReconUploadInput = z.input<typeof reconUploadInputSchema>;

/** A lead's reconciliation desk: imports, runs and mappings, decided on the server (online only). */
export const reconChannels = {
  /** Imports one file; a refused file answers `rejected` with every problem (not a bridge error). */
  'recon.upload': { input: reconUploadInputSchema, output: importSummarySchema, access: 'online' },
  'recon.batches': { input: noInput, output: ingestBatchesResponseSchema, access: 'online' },
  'recon.runs': { input: noInput, output: reconRunsResponseSchema, access: 'online' },
  /** Reconciles one month; answers when the run has committed (its exceptions reach queues by sync). */
  'recon.run': { input: runReconBodySchema, output: runReconResponseSchema, access: 'online' },
  'recon.runDetail': { input: reconRunParamsSchema, output: reconRunDetailSchema, access: 'online' },
  'recon.accountMappings': { input: noInput, output: accountMappingsResponseSchema, access: 'online' },
  'recon.saveAccountMapping': {
    input: accountMappingBodySchema,
    output: accountMappingResponseSchema,
    access: 'online',
  },
  'recon.skuMappings': { input: noInput, output: skuMappingsResponseSchema, access: 'online' },
  'recon.saveSkuMapping': { input: skuMappingBodySchema, output: skuMappingResponseSchema, access: 'online' },
} as const satisfies Record<string, ChannelSpec>;
