import { describe, expect, it } from 'vitest';
import {
  COMMAND_IDS,
  COMMAND_SCOPES,
  COMMANDS,
  SCOPES_LIVE_TOGETHER,
  pressKeys,
  type CommandScope,
  type CommandSpec,
} from '../../renderer/src/commands/commands';
import { SCREENS, builtScreensFor, plannedScreensFor, screenCommands } from '../../renderer/src/app/screens';

/** Every key live in a scope: its commands, plus the screens' Ctrl+digit keys in `app`. */
function keysOf(scope: CommandScope): { id: string; combo: string }[] {
  const table = COMMAND_IDS.filter((id) => (COMMANDS[id] as CommandSpec).scope === scope).map((id) => ({
    id,
    combo: COMMANDS[id].combo,
  }));
  const screens =
    scope === 'app'
      ? screenCommands(
          SCREENS.map((s) => s.id),
          () => undefined,
        ).map((c) => ({ id: c.id, combo: c.spec.combo }))
      : [];
  return [...table, ...screens];
}

const clashes = (keys: { id: string; combo: string }[]): string[] => {
  const byCombo = new Map<string, string[]>();
  for (const k of keys) byCombo.set(k.combo, [...(byCombo.get(k.combo) ?? []), k.id]);
  return [...byCombo]
    .filter(([, ids]) => ids.length > 1)
    .map(([combo, ids]) => `${combo}: ${ids.join(', ')}`);
};

describe('the command registry', () => {
  it('gives no two commands of one scope the same key', () => {
    for (const scope of COMMAND_SCOPES) expect(clashes(keysOf(scope)), scope).toEqual([]);
  });

  it('gives no two commands live at the same moment the same key', () => {
    for (const scopes of SCOPES_LIVE_TOGETHER)
      expect(clashes(scopes.flatMap(keysOf)), scopes.join('+')).toEqual([]);
  });

  it('turns combinations into the key presses the end-to-end specs make', () => {
    expect(pressKeys(COMMANDS['work.next'].combo)).toBe('Alt+n');
    expect(pressKeys(COMMANDS['workspace.resolve'].combo)).toBe('Control+Enter');
    expect(pressKeys(COMMANDS['team.reassign'].combo)).toBe('Shift+R');
    expect(pressKeys(COMMANDS['help.shortcuts'].combo)).toBe('Shift+?');
    expect(pressKeys('ctrl+2')).toBe('Control+2');
  });
});

describe('the screen registry', () => {
  it('offers each role its built screens in navigation order, and tells it what is planned', () => {
    expect(builtScreensFor(['operator'])).toEqual(['queue', 'my-numbers', 'settings']);
    expect(builtScreensFor(['lead'])).toEqual([
      'queue',
      'approvals',
      'recon',
      'qa',
      'sops',
      'dashboard',
      'settings',
    ]);
    expect(builtScreensFor(['qa'])).toEqual(['qa', 'settings']);
    expect(builtScreensFor(['trainer'])).toEqual(['sops', 'settings']);
    expect(plannedScreensFor(['qa'])).toEqual([]);
    expect(plannedScreensFor(['trainer'])).toEqual([]);
  });
});
