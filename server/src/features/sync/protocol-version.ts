import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '@shared/api/errors';
import type { UpdateRequired } from '@shared/api/sync';
import {
  MIN_SYNC_PROTOCOL_VERSION,
  SYNC_PROTOCOL_HEADER,
  SYNC_PROTOCOL_VERSION,
} from '@shared/sync/protocol';

/** The sync protocol versions a server serves, inclusive. */
export interface ProtocolRange {
  min: number;
  max: number;
}

export const DEFAULT_PROTOCOL_RANGE: ProtocolRange = {
  min: MIN_SYNC_PROTOCOL_VERSION,
  max: SYNC_PROTOCOL_VERSION,
};

/**
 * An onRequest hook for the sync routes: it runs before authentication and body validation,
 * because a body's shape depends on the protocol, and a desk that must be updated should hear
 * that rather than a schema error or a refresh loop. No header is version 1 (the first desks).
 */
export function checkProtocolVersion(range: ProtocolRange) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const raw = request.headers[SYNC_PROTOCOL_HEADER];
    if (raw === undefined) {
      return range.min <= 1 ? undefined : refuse(reply, range, 1);
    }
    const text = Array.isArray(raw) ? raw.join(',') : raw;
    if (!/^(0|[1-9][0-9]{0,5})$/.test(text)) {
      const body: ApiError = {
        error: 'invalid_request',
        message: `the ${SYNC_PROTOCOL_HEADER} header must be a whole number`,
        issues: [{ path: `headers.${SYNC_PROTOCOL_HEADER}`, message: 'expected a whole number' }],
      };
      return reply.code(400).send(body);
    }
    const version = Number(text);
    return version < range.min || version > range.max ? refuse(reply, range, version) : undefined;
  };
}

function refuse(reply: FastifyReply, range: ProtocolRange, version: number): FastifyReply {
  const message =
    version < range.min
      ? `This app is too old for the server (sync protocol ${version}; the server needs ${range.min} to ${range.max}). Update the app; your unsent work is kept.`
      : `The server is older than this app (sync protocol ${version}; the server knows ${range.min} to ${range.max}). Ask for the server to be updated; your unsent work is kept.`;
  const body: UpdateRequired = {
    error: 'update_required',
    message,
    minProtocol: range.min,
    maxProtocol: range.max,
  };
  return reply.code(426).send(body);
}
