/**
 * Every keyboard command of the app, as data (Excalidraw's actions): id, label, key combination,
 * scope, and the dialog group. Components bind `perform` and `enabled` with `useCommands`; the
 * hotkeys, the on-screen key hints (`CommandKey`), the workspace's key bar, the Shift+? dialog
 * and the keys the end-to-end specs press (`pressKeys`) all read this table, so a key and its
 * description cannot drift apart. Screen switching (Ctrl+digit) comes from `app/screens.ts`.
 * Pure data: Playwright imports it.
 */

/** The order the shortcuts dialog shows its groups in. */
export const COMMAND_GROUPS = [
  'Navigation',
  'Work',
  'Workspace',
  'Queue',
  'Team',
  'SOPs',
  'QA review',
  'Reconciliation',
  'Sync',
  'Appearance',
  'Help',
] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

/** Hotkeys in this group work but are not listed (a screen's former key, kept for trained hands). */
export const UNLISTED_GROUP = 'Unlisted';

/**
 * Where a command's key is live: `app` everywhere in the shell, `work` on the Queue screen for an
 * operator (the queue and the workspace), `queue` on the list, `team` on the list for leads,
 * `workspace` while an item is being worked, `recon` on a lead's Reconciliation screen.
 */
export const COMMAND_SCOPES = [
  'app',
  'work',
  'queue',
  'team',
  'workspace',
  'sops',
  'qa',
  'disputes',
  'recon',
] as const;
export type CommandScope = (typeof COMMAND_SCOPES)[number];

/** Scopes live at the same moment: no two of their commands may share a key. */
export const SCOPES_LIVE_TOGETHER: readonly (readonly CommandScope[])[] = [
  ['app', 'work', 'queue', 'team'],
  ['app', 'work', 'workspace'],
  ['app', 'sops'],
  // An admin's QA screen shows the sample and the disputes side by side.
  ['app', 'qa', 'disputes'],
  ['app', 'recon'],
];

export interface CommandSpec {
  combo: string;
  label: string;
  scope: CommandScope;
  group: CommandGroup;
  /** Fires while focus is in a text field (else typing the key would trigger it). */
  inInputs: boolean;
  /**
   * A key a focused control handles itself (Enter on a row, Esc in the workspace), not a hotkey:
   * listed whenever a hotkey of the same group is registered, i.e. while its screen is showing.
   */
  native?: true;
  /** Short words for the workspace's always-visible key bar (listed in this table's order). */
  hint?: string;
}

export const COMMANDS = {
  'work.next': {
    combo: 'alt+n',
    label: 'Get the next item',
    scope: 'work',
    group: 'Work',
    inInputs: true,
    hint: 'next item',
  },
  'workspace.nextStep': {
    combo: 'alt+j',
    label: 'Next step (then the resolution)',
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
    hint: 'next step',
  },
  'workspace.previousStep': {
    combo: 'alt+k',
    label: 'Previous step',
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
    hint: 'previous step',
  },
  'workspace.resolution': {
    combo: 'alt+r',
    label: 'Go to the resolution',
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
    hint: 'resolution',
  },
  'workspace.resolve': {
    combo: 'mod+enter',
    label: 'Resolve',
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
    hint: 'resolve',
  },
  'workspace.skip': {
    combo: 'alt+s',
    label: 'Skip with a reason',
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
    hint: 'skip',
  },
  'workspace.note': {
    combo: 'alt+m',
    label: 'Write a note for the team',
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
    hint: 'note',
  },
  'workspace.back': {
    combo: 'esc',
    label: 'Back to the queue',
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
    native: true,
    hint: 'back to queue',
  },
  'queue.search': { combo: '/', label: 'Search the queue', scope: 'queue', group: 'Queue', inInputs: false },
  'queue.type': {
    combo: 't',
    label: 'Filter by exception type (get next follows it)',
    scope: 'queue',
    group: 'Queue',
    inInputs: false,
  },
  'queue.refresh': {
    combo: 'r',
    label: 'Refresh the queue',
    scope: 'queue',
    group: 'Queue',
    inInputs: false,
  },
  'queue.rows': {
    combo: 'up',
    label: 'Move between rows (Down, Page Up/Down too)',
    scope: 'queue',
    group: 'Queue',
    inInputs: false,
    native: true,
  },
  'queue.open': {
    combo: 'enter',
    label: 'Open the focused item',
    scope: 'queue',
    group: 'Queue',
    inInputs: false,
    native: true,
  },
  'queue.close': {
    combo: 'esc',
    label: 'Close the open item',
    scope: 'queue',
    group: 'Queue',
    inInputs: true,
    native: true,
  },
  'team.select': {
    combo: 'space',
    label: 'Select or clear the focused row',
    scope: 'team',
    group: 'Team',
    inInputs: false,
    native: true,
  },
  'team.selectAll': {
    combo: 'mod+a',
    label: 'Select the loaded rows',
    scope: 'team',
    group: 'Team',
    inInputs: false,
    native: true,
  },
  'team.reassign': {
    combo: 'shift+r',
    label: 'Reassign the selected items',
    scope: 'team',
    group: 'Team',
    inInputs: false,
  },
  'sops.load': {
    combo: 'alt+l',
    label: 'Load a module from a file (.zip, .xlsx, .yaml, .md)',
    scope: 'sops',
    group: 'SOPs',
    inInputs: true,
  },
  'sops.preview': {
    combo: 'alt+v',
    label: 'Preview the selected version as an operator sees it',
    scope: 'sops',
    group: 'SOPs',
    inInputs: true,
  },
  'sops.publish': {
    combo: 'alt+p',
    label: 'Publish the selected draft',
    scope: 'sops',
    group: 'SOPs',
    inInputs: true,
  },
  'sops.retire': {
    combo: 'alt+t',
    label: 'Retire the selected version',
    scope: 'sops',
    group: 'SOPs',
    inInputs: true,
  },
  'sops.diff': {
    combo: 'alt+d',
    label: 'Compare the selected version with the one before',
    scope: 'sops',
    group: 'SOPs',
    inInputs: true,
  },
  'workspace.contest': {
    combo: 'alt+c',
    label: "Contest the reviewer's findings on this item",
    scope: 'workspace',
    group: 'Workspace',
    inInputs: true,
  },
  'qa.search': { combo: '/', label: 'Search the sample', scope: 'qa', group: 'QA review', inInputs: false },
  'qa.nextCheck': {
    combo: 'alt+j',
    label: 'Next rubric check',
    scope: 'qa',
    group: 'QA review',
    inInputs: true,
  },
  'qa.previousCheck': {
    combo: 'alt+k',
    label: 'Previous rubric check',
    scope: 'qa',
    group: 'QA review',
    inInputs: true,
  },
  'qa.feedback': {
    combo: 'alt+m',
    label: 'Go to the feedback for the operator',
    scope: 'qa',
    group: 'QA review',
    inInputs: true,
  },
  'qa.submit': {
    combo: 'mod+enter',
    label: 'Submit the review',
    scope: 'qa',
    group: 'QA review',
    inInputs: true,
  },
  'qa.decide': {
    combo: 'alt+d',
    label: 'Go to the decision on the selected dispute',
    scope: 'disputes',
    group: 'QA review',
    inInputs: true,
  },
  'recon.upload': {
    combo: 'alt+u',
    label: 'Choose partner or internal files to import',
    scope: 'recon',
    group: 'Reconciliation',
    inInputs: true,
  },
  'recon.run': {
    combo: 'alt+r',
    label: 'Reconcile the month',
    scope: 'recon',
    group: 'Reconciliation',
    inInputs: true,
  },
  'sync.now': { combo: 'ctrl+shift+s', label: 'Sync now', scope: 'app', group: 'Sync', inInputs: true },
  'theme.toggle': {
    combo: 'ctrl+shift+l',
    label: 'Toggle dark theme',
    scope: 'app',
    group: 'Appearance',
    inInputs: true,
  },
  'help.shortcuts': {
    combo: 'shift+?',
    label: 'Show these shortcuts',
    scope: 'app',
    group: 'Help',
    inInputs: true,
    native: true,
  },
} as const satisfies Record<string, CommandSpec>;
export type CommandId = keyof typeof COMMANDS;

export const COMMAND_IDS = Object.keys(COMMANDS) as CommandId[];

/** The workspace's key bar: every command with a hint, in the table's order. */
export const WORKSPACE_HINTS: readonly { id: CommandId; combo: string; hint: string }[] = COMMAND_IDS.flatMap(
  (id) => {
    const spec: CommandSpec = COMMANDS[id];
    return spec.hint ? [{ id, combo: spec.combo, hint: spec.hint }] : [];
  },
);

const PLAYWRIGHT_KEYS: Readonly<Record<string, string>> = {
  alt: 'Alt',
  ctrl: 'Control',
  mod: 'Control',
  shift: 'Shift',
  meta: 'Meta',
  enter: 'Enter',
  esc: 'Escape',
  space: 'Space',
  up: 'ArrowUp',
  down: 'ArrowDown',
};

/**
 * A combination as a key press for Playwright (`alt+n` -> `Alt+n`, `mod+enter` ->
 * `Control+Enter`, `shift+r` -> `Shift+R`); the desktop is Windows/Linux, where mod is Ctrl.
 */
export function pressKeys(combo: string): string {
  const parts = combo.split('+');
  const shifted = parts.includes('shift');
  return parts.map((p) => PLAYWRIGHT_KEYS[p] ?? (shifted && p.length === 1 ? p.toUpperCase() : p)).join('+');
}

/** The key press of a registered command, for the end-to-end specs. */
export const keyOf = (id: CommandId): string => pressKeys(COMMANDS[id].combo);
