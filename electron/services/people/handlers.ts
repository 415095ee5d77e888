import type { peopleChannels } from '@shared/ipc/channels';
import { personResponseSchema } from '@shared/api/people';
import { deactivateResponseSchema, usersResponseSchema } from '@shared/api/users';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';
import { createJsonClient } from '../session/json-client';

const userPath = (id: string): string => `/api/users/${encodeURIComponent(id)}`;

/** Decided on the server, never queued: who may use the app is an admin's control. */
export function peopleHandlers({ client, session }: AppContext): HandlersOf<typeof peopleChannels> {
  const api = createJsonClient(client, session);
  return {
    'people.list': () => api.json({ method: 'GET', path: '/api/users' }, usersResponseSchema),
    'people.create': (body) => api.json({ method: 'POST', path: '/api/users', body }, personResponseSchema),
    'people.setAccess': ({ id, ...body }) =>
      api.json({ method: 'PUT', path: `${userPath(id)}/access`, body }, personResponseSchema),
    'people.resetPassword': ({ id, ...body }) =>
      api.json({ method: 'POST', path: `${userPath(id)}/password`, body }, personResponseSchema),
    'people.deactivate': ({ id, ...body }) =>
      api.json({ method: 'POST', path: `${userPath(id)}/deactivate`, body }, deactivateResponseSchema),
  };
}
