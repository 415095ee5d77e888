import { z } from 'zod';
import { exceptionRecordSchema } from '../exception';

/**
 * Who may call a channel, enforced by the desktop's router before the handler runs (so no handler
 * has to remember): `none` anyone (sign-in, sync state, settings); `session` a signed-in user
 * (works offline from the local store); `online` a signed-in user with a server client (lead
 * actions decided on the server, never queued).
 */
export const CHANNEL_ACCESS = ['none', 'session', 'online'] as const;
export type ChannelAccess = (typeof CHANNEL_ACCESS)[number];

/** One bridge channel: its input and output schemas and its access. */
export interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
  access: ChannelAccess;
}

export const noInput = z.object({}).strict();

export const listInput = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const exceptionIdInput = exceptionRecordSchema.shape.id;
