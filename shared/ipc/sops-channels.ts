import { z } from 'zod';
import {
  certificationMatrixResponseSchema,
  sopDiffQuerySchema,
  sopDiffResponseSchema,
  sopLibraryResponseSchema,
  sopModuleParamsSchema,
  sopRetireRequestSchema,
  sopUploadQuerySchema,
  sopUploadResponseSchema,
  sopVersionContentResponseSchema,
  sopVersionParamsSchema,
  sopVersionResponseSchema,
} from '../api/sop-library';
import { noInput, type ChannelSpec } from './channel-spec';

/** The server takes at most 5 MiB of module; base64 of that (+1 byte, so "too big" reads as such). */
export const SOP_FILE_MAX_BYTES = 5 * 1024 * 1024;
const MAX_BASE64 = Math.ceil((SOP_FILE_MAX_BYTES + 1) / 3) * 4;
const base64File = z
  .string()
  .min(1, 'the file is empty')
  .max(MAX_BASE64, 'the file is larger than 5 MB')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected the file as base64');

/**
 * A trainer's SOP library (trainers, leads, admins; online only: a draft, a publish or a retire
 * is decided on the server, never queued). Files cross the bridge as base64, as evidence does.
 */
export const sopsChannels = {
  'sops.library': { input: noInput, output: sopLibraryResponseSchema, access: 'online' },
  'sops.version': {
    input: sopVersionParamsSchema,
    output: sopVersionContentResponseSchema,
    access: 'online',
  },
  'sops.upload': {
    input: sopUploadQuerySchema.extend({ data: base64File }).strict(),
    output: sopUploadResponseSchema,
    access: 'online',
  },
  'sops.publish': { input: sopVersionParamsSchema, output: sopVersionResponseSchema, access: 'online' },
  'sops.retire': {
    input: sopVersionParamsSchema.extend(sopRetireRequestSchema.shape).strict(),
    output: sopVersionResponseSchema,
    access: 'online',
  },
  'sops.diff': {
    input: sopModuleParamsSchema.extend(sopDiffQuerySchema.shape).strict(),
    output: sopDiffResponseSchema,
    access: 'online',
  },
  /** The workbook template filled in with a module, to edit and load back. */
  'sops.template': {
    input: sopModuleParamsSchema.strict(),
    output: z.object({ name: z.string(), data: z.string() }),
    access: 'online',
  },
  'sops.matrix': { input: noInput, output: certificationMatrixResponseSchema, access: 'online' },
} as const satisfies Record<string, ChannelSpec>;
