import { KeyComboTag } from '@blueprintjs/core';
import { COMMANDS, type CommandId } from './commands';

/** A command's key as an on-screen hint, from the command table. */
export function CommandKey({ id, className }: { id: CommandId; className?: string }) {
  return <KeyComboTag className={className} combo={COMMANDS[id].combo} minimal />;
}
