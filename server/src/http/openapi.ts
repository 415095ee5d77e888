import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginRequestSchema, refreshRequestSchema, tokenResponseSchema } from '@shared/api/auth';
import { apiErrorSchema } from '@shared/api/errors';
import { healthResponseSchema } from '@shared/api/health';
import { conflictsResponseSchema, supersededSubmissionSchema } from '@shared/api/conflicts';
import { changedEventSchema, changeSchema, pullResponseSchema } from '@shared/api/sync';
import {
  leasedItemSchema,
  leaseSchema,
  nextRequestSchema,
  nextResponseSchema,
  reassignRequestSchema,
  releaseRequestSchema,
  releaseResponseSchema,
  renewRequestSchema,
  renewResponseSchema,
} from '@shared/api/work';
import { resolutionSchema } from '@shared/resolution';
import {
  mutationBodySchema,
  mutationResultSchema,
  mutationSchema,
  pushRequestSchema,
  pushResponseSchema,
} from '@shared/sync/mutations';
import { evidenceSchema, exceptionRecordSchema } from '@shared/exception';
import { moneySchema } from '@shared/money';
import { userSchema } from '@shared/roles';
import { teamMemberSchema, usersResponseSchema } from '@shared/api/users';

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
openapiRegistry.add(leaseSchema, { id: 'Lease' });
openapiRegistry.add(leasedItemSchema, { id: 'LeasedItem' });
openapiRegistry.add(nextRequestSchema, { id: 'NextRequest' });
openapiRegistry.add(nextResponseSchema, { id: 'NextResponse' });
openapiRegistry.add(renewRequestSchema, { id: 'RenewRequest' });
openapiRegistry.add(renewResponseSchema, { id: 'RenewResponse' });
openapiRegistry.add(releaseRequestSchema, { id: 'ReleaseRequest' });
openapiRegistry.add(releaseResponseSchema, { id: 'ReleaseResponse' });
openapiRegistry.add(reassignRequestSchema, { id: 'ReassignRequest' });
openapiRegistry.add(resolutionSchema, { id: 'Resolution' });
openapiRegistry.add(mutationBodySchema, { id: 'MutationBody' });
openapiRegistry.add(mutationSchema, { id: 'Mutation' });
openapiRegistry.add(pushRequestSchema, { id: 'PushRequest' });
openapiRegistry.add(mutationResultSchema, { id: 'MutationResult' });
openapiRegistry.add(pushResponseSchema, { id: 'PushResponse' });
openapiRegistry.add(supersededSubmissionSchema, { id: 'SupersededSubmission' });
openapiRegistry.add(conflictsResponseSchema, { id: 'ConflictsResponse' });
openapiRegistry.add(changedEventSchema, { id: 'ChangedEvent' });
openapiRegistry.add(teamMemberSchema, { id: 'TeamMember' });
openapiRegistry.add(usersResponseSchema, { id: 'UsersResponse' });

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ledgerdesk central API',
        description:
          'Billing-exception operations: authentication, work allocation and leases, the sync protocol (push, pull, events), conflicts, exceptions, approvals, SOP modules, users, QA sample draws.',
        version,
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      // Relative: the document describes whichever server serves it.
      servers: [{ url: '/', description: 'The server that served this document' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
    transform: createJsonSchemaTransform({ schemaRegistry: openapiRegistry }),
    transformObject: (documentObject) =>
      pruneUnusedSchemas(
        createJsonSchemaTransformObject({ schemaRegistry: openapiRegistry })(documentObject),
      ),
  });
}

/**
 * The zod provider emits an input and an output variant of every registered schema (`X` and
 * `XInput`); each route uses one of them. Keeping only what the paths reach (transitively)
 * leaves a document with no unused components (redocly's no-unused-components).
 */
function pruneUnusedSchemas<T>(document: T): T {
  const doc = document as { paths?: unknown; components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (!schemas) return document;
  const refsIn = (value: unknown): string[] =>
    [...JSON.stringify(value ?? null).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    );
  const reached = new Set<string>();
  const queue = refsIn(doc.paths);
  while (queue.length > 0) {
    const name = queue.pop() ?? '';
    if (reached.has(name)) continue;
    reached.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
  return document;
}
