import type { approvalsChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';

/** Decided on the server, never queued: a lead's approval is a control. */
export function approvalsHandlers({ client, session }: AppContext): HandlersOf<typeof approvalsChannels> {
  return {
    'approvals.list': async ({ state }) => client().approvals(state, session),
    'approvals.decide': async ({ id, ...decision }) => ({
      approval: await client().decideApproval(id, decision, session),
    }),
  };
}
