import type { checklistChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';

export function checklistHandlers({ checklists, store }: AppContext): HandlersOf<typeof checklistChannels> {
  return {
    'checklist.get': async ({ exceptionId }, { session }) => checklists.view(session.user.id, exceptionId),
    'checklist.save': async (input, { session }) => checklists.save(session.user.id, input),
    'sop.get': async ({ moduleId, version }) => ({ module: store.sops.get(moduleId, version) }),
  };
}
