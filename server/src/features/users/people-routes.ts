import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  createUserRequestSchema,
  personResponseSchema,
  resetPasswordRequestSchema,
  setAccessRequestSchema,
} from '@shared/api/people';
import { userIdParamsSchema } from '@shared/api/users';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import { sealNow, TARGETED_ROUTE_ERRORS } from '../../http/route-helpers';
import type { Database } from '../../db/types';
import { createPerson, resetPassword, setAccess } from './people';

export interface PeoplePluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

/** Admins manage people; each change is audited and sealed before the answer. */
export const peopleRoutes: FastifyPluginAsyncZod<PeoplePluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  const admin = requireUser(tokens, { roles: ['admin'] });

  app.post(
    '/api/users',
    {
      onRequest: admin,
      schema: {
        tags: ['users'],
        operationId: 'createUser',
        summary: 'Create a user with roles, a team and a first password',
        security: [{ bearerAuth: [] }],
        body: createUserRequestSchema,
        response: { 201: personResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request, reply) => {
      const user = await createPerson(db, currentUser(request), request.body);
      await sealNow(sequencer, request.log);
      return reply.code(201).send({ user });
    },
  );

  app.put(
    '/api/users/:id/access',
    {
      onRequest: admin,
      schema: {
        tags: ['users'],
        operationId: 'setUserAccess',
        summary: "Set a user's roles and team (work types follow their certifications)",
        security: [{ bearerAuth: [] }],
        params: userIdParamsSchema,
        body: setAccessRequestSchema,
        response: { 200: personResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => {
      const user = await setAccess(db, currentUser(request), request.params.id, request.body);
      await sealNow(sequencer, request.log);
      return { user };
    },
  );

  app.post(
    '/api/users/:id/password',
    {
      onRequest: admin,
      schema: {
        tags: ['users'],
        operationId: 'resetUserPassword',
        summary: "Reset a user's password; every session they hold ends",
        security: [{ bearerAuth: [] }],
        params: userIdParamsSchema,
        body: resetPasswordRequestSchema,
        response: { 200: personResponseSchema, ...TARGETED_ROUTE_ERRORS },
      },
    },
    async (request) => {
      const user = await resetPassword(db, currentUser(request), request.params.id, request.body.password);
      await sealNow(sequencer, request.log);
      return { user };
    },
  );
};
