import type { teamChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';

export function teamHandlers({ team }: AppContext): HandlersOf<typeof teamChannels> {
  return {
    'exception.history': ({ id, limit }) => team.history(id, limit),
    'team.operators': async () => ({ operators: await team.operators() }),
    'team.reassign': (input) => team.reassign(input),
    'team.release': (input) => team.release(input),
  };
}
