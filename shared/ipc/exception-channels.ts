import { z } from 'zod';
import {
  evidenceSchema,
  exceptionRecordSchema,
  exceptionSummarySchema,
  localExceptionSchema,
} from '../exception';
import { exceptionIdInput, type ChannelSpec } from './channel-spec';

/** One exception as the record views show it. */
export const exceptionChannels = {
  /** The local copy at once; its evidence is null when not on this computer (see exception.evidence). */
  'exception.get': {
    input: z.object({ id: exceptionRecordSchema.shape.id }).strict(),
    output: localExceptionSchema,
    access: 'session',
  },
  /** The evidence rows: the local copy, else fetched from the server (online) and kept. */
  'exception.evidence': {
    input: z.object({ id: exceptionRecordSchema.shape.id }).strict(),
    output: z.object({ evidence: z.array(evidenceSchema) }),
    access: 'session',
  },
  /** Other exceptions of the same partner account, newest first. */
  'exception.related': {
    input: z
      .object({ exceptionId: exceptionIdInput, limit: z.number().int().min(1).max(100).default(20) })
      .strict(),
    output: z.object({ rows: z.array(exceptionSummarySchema) }),
    access: 'session',
  },
} as const satisfies Record<string, ChannelSpec>;
