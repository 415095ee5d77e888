import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginRequestSchema, refreshRequestSchema, tokenResponseSchema } from '../../../shared/api/auth';
import { apiErrorSchema } from '../../../shared/api/errors';
import { healthResponseSchema } from '../../../shared/api/health';
import { changeSchema, pullResponseSchema } from '../../../shared/api/sync';
import { evidenceSchema, exceptionRecordSchema } from '../../../shared/exception';
import { moneySchema } from '../../../shared/money';
import { userSchema } from '../../../shared/roles';

/**
 * Named component schemas for the OpenAPI document. A private registry (not zod's global one)
 * so the server's naming never leaks into other code that shares these schemas. Query and path
 * schemas stay unregistered: swagger must see them inline to turn them into parameters.
 */
export const openapiRegistry = z.registry<{ id: string }>();
openapiRegistry.add(moneySchema, { id: 'Money' });
openapiRegistry.add(evidenceSchema, { id: 'Evidence' });
openapiRegistry.add(exceptionRecordSchema, { id: 'ExceptionRecord' });
openapiRegistry.add(changeSchema, { id: 'Change' });
openapiRegistry.add(pullResponseSchema, { id: 'PullResponse' });
openapiRegistry.add(userSchema, { id: 'User' });
openapiRegistry.add(loginRequestSchema, { id: 'LoginRequest' });
openapiRegistry.add(refreshRequestSchema, { id: 'RefreshRequest' });
openapiRegistry.add(tokenResponseSchema, { id: 'TokenResponse' });
openapiRegistry.add(healthResponseSchema, { id: 'HealthResponse' });
openapiRegistry.add(apiErrorSchema, { id: 'ApiError' });

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ledgerdesk central API',
        description: 'Billing-exception operations: authentication, sync feed, exceptions.',
        version,
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
    transform: createJsonSchemaTransform({ schemaRegistry: openapiRegistry }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: openapiRegistry }),
  });
}
