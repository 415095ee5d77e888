import type { ReactNode } from 'react';
import type { HotkeyConfig } from '@blueprintjs/core';

/**
 * Every keyboard shortcut of the app, as data: the hotkeys are built from these entries and the
 * shortcuts dialog lists them, so a key and its description cannot drift apart. Screen switching
 * (Ctrl+digit) is in `components/nav.ts`, next to the navigation it follows.
 */

/** The order the shortcuts dialog shows its groups in. */
export const SHORTCUT_GROUPS = [
  'Navigation',
  'Work',
  'Workspace',
  'Queue',
  'Team',
  'Sync',
  'Appearance',
  'Help',
] as const;
export type ShortcutGroup = (typeof SHORTCUT_GROUPS)[number];

/** Hotkeys in this group work but are not listed (a screen's former key, kept for trained hands). */
export const UNLISTED_GROUP = 'Unlisted';

export interface Shortcut {
  combo: string;
  label: string;
  group: ShortcutGroup;
  /**
   * A key a focused control handles itself (Enter on a row, Esc in the workspace), not a hotkey:
   * listed whenever a hotkey of the same group is registered, i.e. while its screen is showing.
   */
  native?: true;
}

export const SHORTCUTS = {
  'work.next': { combo: 'alt+n', label: 'Get the next item', group: 'Work' },
  'workspace.nextStep': { combo: 'alt+j', label: 'Next step (then the resolution)', group: 'Workspace' },
  'workspace.previousStep': { combo: 'alt+k', label: 'Previous step', group: 'Workspace' },
  'workspace.resolution': { combo: 'alt+r', label: 'Go to the resolution', group: 'Workspace' },
  'workspace.resolve': { combo: 'mod+enter', label: 'Resolve', group: 'Workspace' },
  'workspace.skip': { combo: 'alt+s', label: 'Skip with a reason', group: 'Workspace' },
  'workspace.note': { combo: 'alt+m', label: 'Write a note for the team', group: 'Workspace' },
  'workspace.back': { combo: 'esc', label: 'Back to the queue', group: 'Workspace', native: true },
  'queue.search': { combo: '/', label: 'Search the queue', group: 'Queue' },
  'queue.type': { combo: 't', label: 'Filter by exception type (get next follows it)', group: 'Queue' },
  'queue.refresh': { combo: 'r', label: 'Refresh the queue', group: 'Queue' },
  'queue.rows': {
    combo: 'up',
    label: 'Move between rows (Down, Page Up/Down too)',
    group: 'Queue',
    native: true,
  },
  'queue.open': { combo: 'enter', label: 'Open the focused item', group: 'Queue', native: true },
  'queue.close': { combo: 'esc', label: 'Close the open item', group: 'Queue', native: true },
  'team.select': { combo: 'space', label: 'Select or clear the focused row', group: 'Team', native: true },
  'team.selectAll': { combo: 'mod+a', label: 'Select the loaded rows', group: 'Team', native: true },
  'team.reassign': { combo: 'shift+r', label: 'Reassign the selected items', group: 'Team' },
  'sync.now': { combo: 'ctrl+shift+s', label: 'Sync now', group: 'Sync' },
  'theme.toggle': { combo: 'ctrl+shift+l', label: 'Toggle dark theme', group: 'Appearance' },
  'help.shortcuts': { combo: 'shift+?', label: 'Show these shortcuts', group: 'Help', native: true },
} as const satisfies Record<string, Shortcut>;
export type ShortcutId = keyof typeof SHORTCUTS;

/**
 * A shortcut's hotkey without its handler: `{ ...hotkeyFor(id), onKeyDown }`. Combo, label and
 * group come from the table above; global and preventDefault unless the options say otherwise.
 */
export function hotkeyFor(
  id: ShortcutId,
  options: Omit<HotkeyConfig, 'combo' | 'label' | 'group' | 'onKeyDown'> = {},
): Omit<HotkeyConfig, 'onKeyDown'> {
  const { combo, label, group } = SHORTCUTS[id];
  return { global: true, preventDefault: true, ...options, combo, label, group };
}

export interface ShortcutSection {
  group: string;
  shortcuts: { combo: string; label: ReactNode }[];
}

/**
 * What the dialog lists: the hotkeys registered now (so, the current screen's), grouped in
 * SHORTCUT_GROUPS order, each group followed by its native keys; Help is always there.
 * Within a group the table's order holds; entries not in it (screen switching) keep theirs.
 */
export function shortcutSections(
  registered: readonly Pick<HotkeyConfig, 'combo' | 'label' | 'group'>[],
): ShortcutSection[] {
  const table: readonly Shortcut[] = Object.values(SHORTCUTS);
  const rank = (combo: string, group: string | undefined): number => {
    const i = table.findIndex((s) => s.combo === combo && s.group === group);
    return i < 0 ? -1 : i;
  };
  const sections: ShortcutSection[] = [];
  const groups: readonly string[] = SHORTCUT_GROUPS;
  const known = new Set(groups);
  const extra = [...new Set(registered.map((h) => h.group ?? 'Other'))].filter(
    (g) => !known.has(g) && g !== UNLISTED_GROUP,
  );
  for (const group of [...groups, ...extra]) {
    const mine = registered
      .filter((h) => (h.group ?? 'Other') === group)
      .map((h, order) => ({ combo: h.combo, label: h.label, order, rank: rank(h.combo, group) }));
    if (mine.length === 0 && group !== 'Help') continue;
    const natives = table
      .map((s, i) => ({
        combo: s.combo,
        label: s.label,
        order: mine.length + i,
        rank: i,
        native: s.native,
        group: s.group,
      }))
      .filter((s) => s.native && s.group === group);
    const seen = new Set<string>();
    const rows = [...mine, ...natives]
      .sort((a, b) => (a.rank === -1 || b.rank === -1 ? a.order - b.order : a.rank - b.rank))
      .filter((r) => !seen.has(r.combo) && seen.add(r.combo) !== undefined);
    sections.push({ group, shortcuts: rows.map(({ combo, label }) => ({ combo, label })) });
  }
  return sections;
}
