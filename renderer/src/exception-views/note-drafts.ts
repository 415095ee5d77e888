import { create } from 'zustand';
import { useSession } from '../state/session';

/**
 * Notes typed but not yet added, per signed-in user and item. A key (Esc, Alt+N) or a click that
 * leaves the workspace must not throw typed text away: the draft is here when the item opens
 * again. Kept in memory only: a note is free text about a customer, and a shared laptop's disk
 * is not the place for what its author never sent.
 */
interface NoteDrafts {
  drafts: Readonly<Record<string, string>>;
  set(key: string, text: string): void;
}

export const useNoteDrafts = create<NoteDrafts>()((set) => ({
  drafts: {},
  set: (key, text) =>
    set((s) => {
      const drafts = { ...s.drafts };
      if (text.trim() === '') delete drafts[key];
      else drafts[key] = text;
      return { drafts };
    }),
}));

function draftKey(exceptionId: string): string {
  return `${useSession.getState().session?.user.id ?? ''}:${exceptionId}`;
}

/** The unsent note on an item, and its setter (an empty text drops the draft). */
export function useNoteDraft(exceptionId: string): [string, (text: string) => void] {
  const key = draftKey(exceptionId);
  const text = useNoteDrafts((s) => s.drafts[key] ?? '');
  const setDraft = useNoteDrafts((s) => s.set);
  return [text, (next: string) => setDraft(key, next)];
}

/** Whether an item has an unsent note (read when the workspace closes, to say it was kept). */
export function hasNoteDraft(exceptionId: string): boolean {
  return (useNoteDrafts.getState().drafts[draftKey(exceptionId)] ?? '').trim() !== '';
}

// Another person signing in on the same laptop must not find the last one's unsent notes.
useSession.subscribe((s, prev) => {
  if (s.session?.user.id !== prev.session?.user.id) useNoteDrafts.setState({ drafts: {} });
});
