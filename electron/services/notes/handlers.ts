import type { notesChannels } from '@shared/ipc/channels';
import type { AppContext } from '../app-context';
import type { HandlersOf } from '../bridge/handler-types';

export function notesHandlers({ notes, work }: AppContext): HandlersOf<typeof notesChannels> {
  return {
    'exception.notes': async ({ exceptionId }) => notes.thread(exceptionId),
    'exception.addNote': async ({ exceptionId, text }, { session }) =>
      work.addNote(session.user, exceptionId, text),
  };
}
