import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../../../shared/api/errors';
import {
  createUserRequestSchema,
  personResponseSchema,
  resetPasswordRequestSchema,
  setAccessRequestSchema,
} from '../../../../shared/api/people';
import { userIdParamsSchema } from '../../../../shared/api/users';
import type { AccessTokens } from '../../auth/access-token';
import { currentUser, requireUser } from '../../auth/authenticate';
import type { FeedSequencer } from '../../db/sequencer';
import type { Database } from '../../db/types';
import { createPerson, resetPassword, setAccess } from './people';

export interface PeoplePluginOptions {
  db: Database;
  tokens: AccessTokens;
  sequencer: FeedSequencer;
}

const errors = {
  400: apiErrorSchema,
  401: apiErrorSchema,
  403: apiErrorSchema,
  404: apiErrorSchema,
  409: apiErrorSchema,
};

/** Admins manage people; each change is audited and sealed before the answer. */
export const peopleRoutes: FastifyPluginAsyncZod<PeoplePluginOptions> = async (
  app,
  { db, tokens, sequencer },
) => {
  const admin = requireUser(tokens, { roles: ['admin'] });
  const seal = async (log: { error: (o: object, m: string) => void }): Promise<void> => {
    await sequencer.kick().catch((error: unknown) => log.error({ err: error }, 'sequencer pass failed'));
  };

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
        response: { 201: personResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = await createPerson(db, currentUser(request), request.body);
      await seal(request.log);
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
        response: { 200: personResponseSchema, ...errors },
      },
    },
    async (request) => {
      const user = await setAccess(db, currentUser(request), request.params.id, request.body);
      await seal(request.log);
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
        response: { 200: personResponseSchema, ...errors },
      },
    },
    async (request) => {
      const user = await resetPassword(db, currentUser(request), request.params.id, request.body.password);
      await seal(request.log);
      return { user };
    },
  );
};
