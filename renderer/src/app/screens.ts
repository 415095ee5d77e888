import type { ComponentType } from 'react';
import type { IconName } from '@blueprintjs/icons';
import type { Role } from '@shared/roles';
import { QueueScreen } from '../features/queue/QueueScreen';
import { ApprovalsScreen } from '../features/approvals/ApprovalsScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { DashboardScreen } from '../features/dashboard/DashboardScreen';
import { MyNumbersScreen } from '../features/dashboard/MyNumbersScreen';
import { SopsScreen } from '../features/sops/SopsScreen';
import { PeopleScreen } from '../features/people/PeopleScreen';
import { QaScreen } from '../features/qa/QaScreen';
import { ReconScreen } from '../features/recon/ReconScreen';
import { UNLISTED_GROUP } from '../commands/commands';
import type { ExtraCommand } from '../commands/useCommands';

/**
 * The screens of the app, in navigation order: this one list drives the navigation, which screen
 * the shell shows, who sees it and its Ctrl+digit key. The server never reads it (it checks roles
 * on every route itself).
 */
export interface ScreenEntry {
  id: string;
  label: string;
  icon: IconName;
  roles: readonly Role[];
  /** Absent: not built yet, never offered in the navigation (the QA and trainer issues build them). */
  component?: ComponentType;
  /**
   * Fixed per screen (not per position) so the same key means the same screen for every role;
   * the built screens' keys count up in the navigation's order.
   */
  combo: string;
  /** Keys the screen had before, still honoured but not listed, so a trained hand still lands. */
  formerCombos?: readonly string[];
  /** Holds work (Settings does not): a user with no such screen has nothing to do in the app yet. */
  work: boolean;
}

export const SCREENS = [
  {
    id: 'queue',
    label: 'Queue',
    icon: 'inbox',
    roles: ['operator', 'lead', 'admin'],
    component: QueueScreen,
    combo: 'ctrl+1',
    work: true,
  },
  {
    id: 'my-numbers',
    label: 'My numbers',
    icon: 'timeline-bar-chart',
    roles: ['operator'],
    component: MyNumbersScreen,
    combo: 'ctrl+4',
    work: false,
  },
  {
    id: 'approvals',
    label: 'Approvals',
    icon: 'confirm',
    roles: ['lead', 'admin'],
    component: ApprovalsScreen,
    combo: 'ctrl+2',
    work: true,
  },
  {
    id: 'recon',
    label: 'Reconciliation',
    icon: 'automatic-updates',
    roles: ['lead', 'admin'],
    component: ReconScreen,
    combo: 'ctrl+5',
    work: true,
  },
  {
    id: 'qa',
    label: 'QA review',
    icon: 'endorsed',
    roles: ['qa', 'lead', 'admin'],
    component: QaScreen,
    combo: 'ctrl+7',
    work: true,
  },
  {
    id: 'sops',
    label: 'SOPs',
    icon: 'manual',
    roles: ['trainer', 'lead', 'admin'],
    component: SopsScreen,
    combo: 'ctrl+8',
    work: true,
  },
  {
    id: 'dashboard',
    label: 'Dashboard',
    icon: 'dashboard',
    roles: ['lead', 'admin'],
    component: DashboardScreen,
    combo: 'ctrl+9',
    work: true,
  },
  {
    id: 'people',
    label: 'People',
    icon: 'people',
    roles: ['admin'],
    component: PeopleScreen,
    combo: 'ctrl+6',
    work: true,
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: 'cog',
    roles: ['operator', 'qa', 'trainer', 'lead', 'admin'],
    component: SettingsScreen,
    combo: 'ctrl+3',
    work: false,
  },
] as const satisfies readonly ScreenEntry[];
export type Screen = (typeof SCREENS)[number]['id'];

const BY_ID = new Map<string, ScreenEntry>(SCREENS.map((s) => [s.id, s]));
export const screenEntry = (id: Screen): ScreenEntry => BY_ID.get(id) as ScreenEntry;

const visibleTo = (roles: readonly Role[]) => (s: ScreenEntry) => s.roles.some((r) => roles.includes(r));

/** The screens a user's roles may open that exist today, in navigation order. */
export function builtScreensFor(roles: readonly Role[]): Screen[] {
  return SCREENS.filter((s: ScreenEntry) => s.component && visibleTo(roles)(s)).map((s) => s.id);
}

/** Screens that hold work (not Settings): a user with none has nothing to do in the app yet. */
export function workScreensFor(roles: readonly Role[]): Screen[] {
  return builtScreensFor(roles).filter((s) => screenEntry(s).work);
}

/** The screens a user's roles will get once built, for telling them what is coming. */
export function plannedScreensFor(roles: readonly Role[]): Screen[] {
  return SCREENS.filter((s: ScreenEntry) => !s.component && visibleTo(roles)(s)).map((s) => s.id);
}

/** The Ctrl+digit commands of the given screens (former keys unlisted). */
export function screenCommands(screens: readonly Screen[], go: (screen: Screen) => void): ExtraCommand[] {
  return screens.flatMap((id) => {
    const s = screenEntry(id);
    const label = `Go to ${s.label}`;
    return [s.combo, ...(s.formerCombos ?? [])].map((combo, i) => ({
      id: `screen.${id}.${i}`,
      spec: { combo, label, inInputs: true, group: i === 0 ? 'Navigation' : UNLISTED_GROUP },
      perform: () => go(id),
    }));
  });
}
