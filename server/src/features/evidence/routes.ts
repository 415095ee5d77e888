import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '@shared/api/errors';
import {
  evidenceParamsSchema,
  evidenceUploadQuerySchema,
  evidenceUploadResponseSchema,
} from '@shared/api/evidence';
import { EVIDENCE_MAX_BYTES, safeEvidenceName, verifyEvidenceType } from '@shared/evidence/file-type';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { Database } from '../../db/types';
import { ApiHttpError, invalidRequest, notFound } from '../../http/api-error';
import { readEvidence, storeEvidence } from './repo';

export interface EvidencePluginOptions {
  db: Database;
  tokens: AccessTokens;
}

/** A served file never runs and never renders in our origin, whatever is inside it. */
const DOWNLOAD_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'private, no-store',
} as const;

/** RFC 6266: an ASCII fallback plus the UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7E]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const evidenceRoutes: FastifyPluginAsyncZod<EvidencePluginOptions> = async (app, { db, tokens }) => {
  // This plugin's routes take raw bytes, of any declared type, up to the limit (413 beyond it,
  // before the body is read when Content-Length says so).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: EVIDENCE_MAX_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.put(
    '/api/evidence/:sha256',
    {
      // Authenticated before the body is read: an anonymous caller learns nothing and uploads nothing.
      onRequest: requireUser(tokens, { roles: ['operator', 'lead', 'admin'] }),
      bodyLimit: EVIDENCE_MAX_BYTES,
      schema: {
        tags: ['evidence'],
        operationId: 'uploadEvidence',
        summary: 'Upload an evidence file, addressed by its SHA-256 (idempotent)',
        description:
          'The body is the file itself (at most 10 MiB); Content-Type is the type the sender believes it is. ' +
          'The server checks that the body hashes to the path, and the type from the bytes (PDF, PNG, JPEG, ' +
          'CSV, text, e-mail, XLSX). 201 when stored now, 200 when it already was.',
        security: [{ bearerAuth: [] }],
        params: evidenceParamsSchema,
        querystring: evidenceUploadQuerySchema,
        response: {
          200: evidenceUploadResponseSchema,
          201: evidenceUploadResponseSchema,
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          413: apiErrorSchema,
          415: apiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const body: unknown = request.body;
      if (!(body instanceof Uint8Array) || body.length === 0) throw invalidRequest('body: the file is empty');
      if (body.length > EVIDENCE_MAX_BYTES) {
        throw new ApiHttpError(413, 'invalid_request', 'body: the file is larger than 10 MiB');
      }
      const sha256 = createHash('sha256').update(body).digest('hex');
      if (sha256 !== request.params.sha256) {
        throw invalidRequest('params.sha256: the body does not hash to this SHA-256');
      }
      const verdict = verifyEvidenceType(body, request.headers['content-type'] ?? '', request.query.name);
      if (!verdict.ok) throw new ApiHttpError(415, 'invalid_request', `body: ${verdict.reason}`);
      const name = safeEvidenceName(request.query.name, verdict.type);
      const { created } = await storeEvidence(db, user, { sha256, type: verdict.type, name, bytes: body });
      return reply.code(created ? 201 : 200).send({ sha256, type: verdict.type, size: body.length, created });
    },
  );

  app.get(
    '/api/evidence/:sha256',
    {
      onRequest: requireUser(tokens, { roles: ['operator', 'qa', 'lead', 'admin'] }),
      exposeHeadRoute: false,
      schema: {
        tags: ['evidence'],
        operationId: 'downloadEvidence',
        summary: 'Download an evidence file: leads, QA and admins any file, others only what they uploaded',
        description:
          'The bytes as uploaded, served as an attachment with the verified type, nosniff and a sandboxing CSP.',
        security: [{ bearerAuth: [] }],
        params: evidenceParamsSchema,
        response: {
          200: z.string().describe('the file bytes'),
          400: apiErrorSchema,
          401: apiErrorSchema,
          403: apiErrorSchema,
          404: apiErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const file = await readEvidence(db, currentUser(request), request.params.sha256);
      // Someone else's file answers as absent, so hashes cannot be probed.
      if (!file) throw notFound('no such evidence file');
      const textual = file.type.startsWith('text/') || file.type === 'message/rfc822';
      // Fastify sends a Buffer as it is (no serializer); the 200 schema only documents it.
      const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
      return reply
        .headers(DOWNLOAD_HEADERS)
        .header('content-type', textual ? `${file.type}; charset=utf-8` : file.type)
        .header('content-disposition', contentDisposition(safeEvidenceName(file.name, file.type)))
        .send(bytes as unknown as string);
    },
  );
};
