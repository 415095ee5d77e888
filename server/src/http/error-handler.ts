import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiError } from '../../../shared/api/errors';
import { ApiHttpError } from './api-error';

const CONTEXT_NAMES: Readonly<Record<string, string>> = {
  querystring: 'query',
  body: 'body',
  params: 'params',
  headers: 'headers',
};

function issuePath(context: string | undefined, instancePath: string): string {
  const parts = instancePath.split('/').filter((p) => p !== '');
  const head = context ? (CONTEXT_NAMES[context] ?? context) : undefined;
  return [...(head ? [head] : []), ...parts].join('.');
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
      return reply.code(err.statusCode).send(body);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: issuePath(err.validationContext, v.instancePath),
        message: v.message ?? 'invalid value',
      }));
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
      return reply.code(status).send({ error: code, message: err.message } satisfies ApiError);
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'internal error' } satisfies ApiError);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ApiError = {
      error: 'not_found',
      message: `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`,
    };
    return reply.code(404).send(body);
  });
}
