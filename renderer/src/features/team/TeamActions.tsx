import { useRef, useState } from 'react';
import { Button } from '@blueprintjs/core';
import { useCommands } from '../../commands/useCommands';
import { CommandKey } from '../../commands/CommandKey';
import type { ExceptionSummary } from '@shared/exception';
import { formatCount } from '../../lib/format';
import { useTeam } from './team-state';
import { ReassignDialog } from './ReassignDialog';
import { ReleaseDialog } from './ReleaseDialog';
import { TeamOutcomeCallout } from './TeamOutcomeCallout';
import type { TeamOutcome } from './team-outcome';

interface Props {
  selected: readonly ExceptionSummary[];
  onClearSelection(): void;
  /** A bulk action finished: these items are done (the rest stay selected to try again). */
  onDone(doneIds: readonly string[]): void;
  /** Put focus back on the grid's last focused row. */
  onRestoreFocus(): void;
}

/** A lead's bar over the queue: shows while rows are selected, and keeps the last action's outcome. */
export function TeamActions({ selected, onClearSelection, onDone, onRestoreFocus }: Props) {
  const operators = useTeam((s) => s.operators);
  const operatorsError = useTeam((s) => s.error);
  const [dialog, setDialog] = useState<'reassign' | 'release' | null>(null);
  const [outcome, setOutcome] = useState<TeamOutcome | null>(null);
  const count = selected.length;

  // The hotkey stays registered and reads the selection when pressed (useCommands): re-registering
  // it on every selection change happens after paint, and a quick Space then Shift+R beat it.
  useCommands({
    'team.reassign': { perform: () => openDialog('reassign'), enabled: () => count > 0 && dialog === null },
  });

  // Where focus was when a dialog opened (a grid row for Shift+R, else the bar's button): it goes
  // back there on close, or to the grid's row when that button left with the selection.
  const opener = useRef<Element | null>(null);
  const openDialog = (kind: 'reassign' | 'release'): void => {
    opener.current = document.activeElement;
    setDialog(kind);
  };
  const returnFocus = (): void => {
    const el = opener.current;
    opener.current = null;
    if (el instanceof HTMLElement && el.isConnected && !el.closest('[data-testid="queue-grid"]')) el.focus();
    else onRestoreFocus();
  };

  const finish = (result: TeamOutcome): void => {
    setDialog(null);
    setOutcome(result);
    onDone(result.results.filter((r) => r.ok).map((r) => r.exceptionId));
  };

  if (count === 0 && !outcome) return null;
  return (
    <div className="ld-team-actions" role="region" aria-label="Team actions">
      {count > 0 && (
        <div className="ld-team-bar">
          <strong data-testid="team-selected">{formatCount(count)} selected</strong>
          <Button size="small" icon="people" intent="primary" onClick={() => openDialog('reassign')}>
            Reassign… <CommandKey id="team.reassign" />
          </Button>
          <Button size="small" icon="undo" onClick={() => openDialog('release')}>
            Release…
          </Button>
          <Button size="small" variant="minimal" onClick={onClearSelection}>
            Clear selection
          </Button>
        </div>
      )}
      {outcome && <TeamOutcomeCallout outcome={outcome} onDismiss={() => setOutcome(null)} />}
      <ReassignDialog
        isOpen={dialog === 'reassign'}
        items={selected}
        operators={operators}
        operatorsError={operatorsError}
        onClose={() => setDialog(null)}
        onClosed={returnFocus}
        onDone={finish}
      />
      <ReleaseDialog
        isOpen={dialog === 'release'}
        items={selected}
        onClose={() => setDialog(null)}
        onClosed={returnFocus}
        onDone={finish}
      />
    </div>
  );
}
