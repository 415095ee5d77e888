import type { IconName } from '@blueprintjs/icons';
import { screensFor, type Role, type Screen } from '@shared/roles';

export interface ScreenMeta {
  label: string;
  icon: IconName;
  /**
   * Fixed per screen (not per position) so the same key means the same screen for every role;
   * the built screens' keys count up in the navigation's order.
   */
  combo: string;
  /** Keys the screen had before, still honoured but not listed, so a trained hand still lands. */
  formerCombos?: readonly string[];
  /** Not built yet: never offered in the navigation (the QA and trainer issues build them). */
  planned?: true;
}

export const SCREEN_META: Readonly<Record<Screen, ScreenMeta>> = {
  queue: { label: 'Queue', icon: 'inbox', combo: 'ctrl+1' },
  approvals: { label: 'Approvals', icon: 'confirm', combo: 'ctrl+2', formerCombos: ['ctrl+6'] },
  qa: { label: 'QA review', icon: 'endorsed', combo: 'ctrl+7', planned: true },
  sops: { label: 'SOPs', icon: 'manual', combo: 'ctrl+8', planned: true },
  dashboard: { label: 'Dashboard', icon: 'dashboard', combo: 'ctrl+9', planned: true },
  settings: { label: 'Settings', icon: 'cog', combo: 'ctrl+3', formerCombos: ['ctrl+5'] },
};

/** The screens a user's roles may open that exist today, in navigation order. */
export function builtScreensFor(roles: readonly Role[]): Screen[] {
  return screensFor(roles).filter((s) => !SCREEN_META[s].planned);
}

/** Screens that hold work (not Settings): a user with none has nothing to do in the app yet. */
export function workScreensFor(roles: readonly Role[]): Screen[] {
  return builtScreensFor(roles).filter((s) => s !== 'settings');
}

/** The screens a user's roles will get once built, for telling them what is coming. */
export function plannedScreensFor(roles: readonly Role[]): Screen[] {
  return screensFor(roles).filter((s) => SCREEN_META[s].planned);
}
