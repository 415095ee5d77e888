import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiError } from '@shared/api/errors';
import { ApiHttpError } from './api-error';

const CONTEXT_NAMES: Readonly<Record<string, string>> = {
  querystring: 'query',
  body: 'body',
  params: 'params',
  headers: 'headers',
};

/**
 * A path segment is shown only when it looks like a field name or an index: record keys and
 * unknown keys are the caller's own text, and an error message must not hand it back (reflected
 * into a log viewer or a page, it is an injection vector).
 */
const SAFE_SEGMENT = /^[A-Za-z0-9_-]{1,64}(\[\])?$/;

function issuePath(context: string | undefined, instancePath: string, extra?: string): string {
  const parts = [...instancePath.split('/'), ...(extra === undefined ? [] : [extra])]
    .filter((p) => p !== '')
    .map((p) => (SAFE_SEGMENT.test(p) ? p : '(key)'));
  const head = context ? (CONTEXT_NAMES[context] ?? context) : undefined;
  return [...(head ? [head] : []), ...parts].join('.');
}

interface ValidationItem {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** The field and the rule it broke; never the value (zod's unrecognized-keys message quotes the keys). */
function issuesOf(
  context: string | undefined,
  items: readonly ValidationItem[],
): NonNullable<ApiError['issues']> {
  return items.flatMap((v) => {
    if (v.keyword === 'unrecognized_keys') {
      const keys = Array.isArray(v.params.keys) ? v.params.keys : [];
      return keys.map((k) => ({
        path: issuePath(context, v.instancePath, typeof k === 'string' ? k : ''),
        message: 'is not a known field',
      }));
    }
    return [{ path: issuePath(context, v.instancePath), message: v.message ?? 'invalid value' }];
  });
}

/**
 * Fastify's own client errors, in our words: some of its messages quote the request (JSON.parse
 * quotes the body, the media-type error the Content-Type header).
 */
const FASTIFY_CLIENT_ERRORS: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty but the content type says JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type; send application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the body does not match its Content-Length',
};

function clientErrorMessage(err: FastifyError, status: number): string {
  const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
  if (known) return known;
  if (err instanceof SyntaxError) return 'the body is not valid JSON';
  if (status === 413) return 'the body is too large';
  if (status === 415) return 'unsupported content type; send application/json';
  if (status === 429) return 'too many requests';
  return 'the request could not be read';
}

/** Every non-2xx answer carries the body of shared/api/errors.ts, never Fastify's default shape. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof ApiHttpError) {
      const body: ApiError = {
        error: err.code,
        message: err.message,
        ...(err.issues ? { issues: err.issues } : {}),
      };
      if (err.statusCode === 401) void reply.header('www-authenticate', 'Bearer');
      if (err.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.code(err.statusCode).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = issuesOf(err.validationContext, err.validation);
      const body: ApiError = {
        error: 'invalid_request',
        message: 'the request does not match the schema',
        issues,
      };
      return reply.code(400).send(body);
    }
    if (typeof err === 'object' && err !== null && 'method' in err && isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response failed its schema');
      return reply.code(500).send({ error: 'internal', message: 'internal error' } satisfies ApiError);
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large.
      const code: ApiError['error'] =
        status === 429 ? 'rate_limited' : status === 404 ? 'not_found' : 'invalid_request';
      return reply
        .code(status)
        .send({ error: code, message: clientErrorMessage(err, status) } satisfies ApiError);
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'internal error' } satisfies ApiError);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ApiError = {
      error: 'not_found',
      // The path is the caller's text; it is not repeated back.
      message: `no such route (${/^[A-Z]{1,10}$/.test(request.method) ? request.method : 'this method'})`,
    };
    return reply.code(404).send(body);
  });
}
