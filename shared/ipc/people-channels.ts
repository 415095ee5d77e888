import {
  createUserRequestSchema,
  personResponseSchema,
  resetPasswordRequestSchema,
  setAccessRequestSchema,
} from '../api/people';
import {
  deactivateRequestSchema,
  deactivateResponseSchema,
  userIdParamsSchema,
  usersResponseSchema,
} from '../api/users';
import { noInput, type ChannelSpec } from './channel-spec';

/** Admins' people administration (online only: every change is decided and audited on the server). */
export const peopleChannels = {
  'people.list': { input: noInput, output: usersResponseSchema, access: 'online' },
  'people.create': { input: createUserRequestSchema, output: personResponseSchema, access: 'online' },
  'people.setAccess': {
    input: userIdParamsSchema.extend(setAccessRequestSchema.shape).strict(),
    output: personResponseSchema,
    access: 'online',
  },
  'people.resetPassword': {
    input: userIdParamsSchema.extend(resetPasswordRequestSchema.shape).strict(),
    output: personResponseSchema,
    access: 'online',
  },
  'people.deactivate': {
    input: userIdParamsSchema.extend(deactivateRequestSchema.shape).strict(),
    output: deactivateResponseSchema,
    access: 'online',
  },
} as const satisfies Record<string, ChannelSpec>;
