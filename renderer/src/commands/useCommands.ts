import { useLayoutEffect, useMemo, useState } from 'react';
import { useHotkeys, type HotkeyConfig } from '@blueprintjs/core';
import { COMMANDS, type CommandId, type CommandSpec } from './commands';

/** What a component supplies for a command it offers: what it does, and whether it may now. */
export interface CommandBinding {
  perform(): void;
  /** Read when the key is pressed (false: the key does nothing); defaults to true. */
  enabled?: () => boolean;
}

/** A command not in the table (a screen's Ctrl+digit, built from the screen registry). */
export interface ExtraCommand extends CommandBinding {
  id: string;
  spec: Pick<CommandSpec, 'combo' | 'label' | 'inInputs'> & { group: string };
}

export function hotkeyOf(
  spec: Pick<CommandSpec, 'combo' | 'label' | 'inInputs'> & { group: string },
  onKeyDown: () => void,
): HotkeyConfig {
  const { combo, label, group, inInputs } = spec;
  return { global: true, preventDefault: true, allowInInput: inInputs, combo, label, group, onKeyDown };
}

/**
 * Registers the given commands' keys while the component is mounted. The keys are registered once
 * per set of ids and read the latest binding when pressed: re-registering on every render happens
 * in an effect, after paint, and a quick key press could beat it.
 */
export function useCommands(
  bindings: Partial<Record<CommandId, CommandBinding>>,
  extra: readonly ExtraCommand[] = [],
): ReturnType<typeof useHotkeys> {
  // A box, not a ref: the handlers read it when a key is pressed, never during render.
  const [latest] = useState(() => new Map<string, CommandBinding | undefined>());
  useLayoutEffect(() => {
    latest.clear();
    for (const id of Object.keys(bindings) as CommandId[]) latest.set(id, bindings[id]);
    for (const c of extra) latest.set(c.id, c);
  });
  const ids = (Object.keys(bindings) as CommandId[]).filter((id) => bindings[id]).join(' ');
  const extraIds = extra.map((c) => `${c.id}\n${c.spec.combo}\n${c.spec.group}`).join(' ');
  const hotkeys = useMemo<HotkeyConfig[]>(() => {
    const run = (binding: CommandBinding | undefined): void => {
      if (binding && (binding.enabled?.() ?? true)) binding.perform();
    };
    const fromTable = (ids ? (ids.split(' ') as CommandId[]) : []).map((id) =>
      hotkeyOf(COMMANDS[id], () => run(latest.get(id))),
    );
    const fromExtra = extra.map((c) => hotkeyOf(c.spec, () => run(latest.get(c.id))));
    return [...fromTable, ...fromExtra];
    // extraIds stands for the extra commands' identity (ids, keys, groups).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids, extraIds, latest]);
  return useHotkeys(hotkeys);
}
