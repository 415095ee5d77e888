import type { evidenceChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';

export function evidenceHandlers({ evidenceFiles }: AppContext): HandlersOf<typeof evidenceChannels> {
  return {
    'evidence.attach': async (input) => evidenceFiles.attach(input),
    'evidence.read': async ({ sha256 }) => evidenceFiles.read(sha256),
  };
}
