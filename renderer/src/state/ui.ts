import { create } from 'zustand';
import type { Screen } from '../app/screens';

export type Theme = 'light' | 'dark';

const THEME_KEY = 'ledgerdesk.theme';

function initialTheme(): Theme {
  // No window when a Node test imports the screen registry (and with it this store).
  if (typeof window === 'undefined') return 'light';
  try {
    const saved = window.localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // storage unavailable: fall through to the system preference
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface UiState {
  theme: Theme;
  screen: Screen;
  setTheme(theme: Theme): void;
  toggleTheme(): void;
  setScreen(screen: Screen): void;
}

export const useUi = create<UiState>()((set, get) => ({
  theme: initialTheme(),
  screen: 'queue',
  setTheme(theme) {
    try {
      window.localStorage.setItem(THEME_KEY, theme);
    } catch {
      // not persisted; the choice still applies for this session
    }
    set({ theme });
  },
  toggleTheme() {
    get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },
  setScreen: (screen) => set({ screen }),
}));

/** A shared clock for countdowns: one timer for the whole app, not one per cell. */
interface ClockState {
  now: number;
}
export const useClock = create<ClockState>()(() => ({ now: Date.now() }));
let clockTimer: ReturnType<typeof setInterval> | null = null;
export function startClock(intervalMs = 30_000): () => void {
  if (!clockTimer) clockTimer = setInterval(() => useClock.setState({ now: Date.now() }), intervalMs);
  return () => {
    if (clockTimer) clearInterval(clockTimer);
    clockTimer = null;
  };
}
