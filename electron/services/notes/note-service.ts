import type { AccessTokenSource, ServerClient } from '../session/server-client';
import type { LocalStore } from '../store/local-store';
import type { LocalNote } from '../store/note-repo';

export interface NoteService {
  /**
   * The item's thread: refreshed from the server when it answers (and kept, so it shows offline
   * after), else what this computer has. `offline` says the refresh did not happen.
   */
  thread(exceptionId: string): Promise<{ notes: LocalNote[]; offline: boolean }>;
}

/**
 * Notes are not in the change feed (desks on the previous protocol would not know the rows), so
 * a desk asks for an item's thread when the item is opened and when it is leased.
 */
export function createNoteService(deps: {
  store: LocalStore;
  client: () => ServerClient;
  tokens: AccessTokenSource;
}): NoteService {
  const { store } = deps;
  return {
    async thread(exceptionId) {
      let offline = false;
      try {
        const fetched = await deps.client().exceptionNotes(exceptionId, deps.tokens);
        if (fetched) store.transaction(() => store.notes.store(fetched.notes));
      } catch {
        // Whatever stopped the refresh (no link, signed out, a server fault), the notes kept
        // here still show, and the thread says others' newer notes may be missing.
        offline = true;
      }
      return { notes: store.notes.forException(exceptionId), offline };
    },
  };
}
