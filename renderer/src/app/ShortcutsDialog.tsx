import { Dialog, DialogBody, KeyComboTag, type HotkeyConfig } from '@blueprintjs/core';
import { shortcutSections } from '../commands/shortcut-sections';
import { NO_TRANSITION } from '../lib/overlay';

/**
 * The Shift+? dialog (Blueprint's HotkeysProvider renders it through `renderDialog`): titled, so
 * it has an accessible name and a close button, in columns so it fits at 1366x768, listing the
 * current screen's hotkeys and the keys its controls handle themselves.
 */
export function ShortcutsDialog({
  isOpen,
  hotkeys,
  onClose,
}: {
  isOpen: boolean;
  hotkeys: readonly HotkeyConfig[];
  onClose(): void;
}) {
  const sections = shortcutSections(hotkeys);
  return (
    <Dialog
      {...NO_TRANSITION}
      isOpen={isOpen}
      onClose={onClose}
      title="Keyboard shortcuts"
      icon="key-command"
      className="ld-shortcuts-dialog"
    >
      <DialogBody className="ld-shortcuts-body">
        {sections.map((s) => (
          <section key={s.group} className="ld-shortcuts-group" aria-labelledby={`shortcuts-${s.group}`}>
            <h3 id={`shortcuts-${s.group}`} className="ld-shortcuts-h">
              {s.group}
            </h3>
            <dl className="ld-shortcuts-list">
              {s.shortcuts.map((k) => (
                <div key={k.combo} className="ld-shortcut">
                  <dt>{k.label}</dt>
                  <dd>
                    <KeyComboTag combo={k.combo} minimal />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </DialogBody>
    </Dialog>
  );
}
