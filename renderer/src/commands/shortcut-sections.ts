import type { ReactNode } from 'react';
import type { HotkeyConfig } from '@blueprintjs/core';
import { COMMAND_GROUPS, COMMANDS, UNLISTED_GROUP, type CommandSpec } from './commands';

export interface ShortcutSection {
  group: string;
  shortcuts: { combo: string; label: ReactNode }[];
}

/**
 * What the Shift+? dialog lists: the hotkeys registered now (so, the current screen's), grouped in
 * COMMAND_GROUPS order, each group followed by its native keys; Help is always there.
 * Within a group the table's order holds; entries not in it (screen switching) keep theirs.
 */
export function shortcutSections(
  registered: readonly Pick<HotkeyConfig, 'combo' | 'label' | 'group'>[],
): ShortcutSection[] {
  const table: readonly CommandSpec[] = Object.values(COMMANDS);
  const rank = (combo: string, group: string | undefined): number => {
    const i = table.findIndex((s) => s.combo === combo && s.group === group);
    return i < 0 ? -1 : i;
  };
  const sections: ShortcutSection[] = [];
  const groups: readonly string[] = COMMAND_GROUPS;
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
