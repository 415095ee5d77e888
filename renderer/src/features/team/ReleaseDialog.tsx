import { Button, Callout, Dialog, DialogBody, DialogFooter } from '@blueprintjs/core';
import type { ExceptionSummary } from '@shared/exception';
import { call } from '../../bridge';
import { ReasonField } from './ReasonField';
import { useTeamAction } from './useTeamAction';
import type { TeamOutcome } from './team-outcome';
import { NO_TRANSITION } from '../../lib/overlay';

interface Props {
  isOpen: boolean;
  items: readonly ExceptionSummary[];
  onClose(): void;
  /** After it has closed, whichever way: TeamActions puts focus back (the opener may be gone). */
  onClosed(): void;
  onDone(outcome: TeamOutcome): void;
}

/** Put the selected items back in the queue; items nobody holds are reported, not hidden. */
export function ReleaseDialog({ isOpen, items, onClose, onClosed, onDone }: Props) {
  const { reason, setReason, busy, error, reasonGiven, reset, run } = useTeamAction();
  const unheld = items.filter((i) => !i.assigneeId).length;
  const canSubmit = reasonGiven && !busy;

  const submit = async (): Promise<void> => {
    if (!canSubmit) return;
    await run(async (why) => {
      const { results } = await call('team.release', { exceptionIds: items.map((i) => i.id), reason: why });
      onDone({ done: 'released to the queue', results });
    });
  };

  return (
    <Dialog
      {...NO_TRANSITION}
      isOpen={isOpen}
      onClose={onClose}
      shouldReturnFocusOnClose={false}
      onClosed={onClosed}
      title={`Release ${items.length} ${items.length === 1 ? 'item' : 'items'} to the queue`}
      icon="undo"
      onOpening={reset}
      className="ld-team-dialog"
    >
      <DialogBody>
        <p>Their holders lose them; get next hands them out again by urgency.</p>
        {unheld > 0 && (
          <Callout intent="warning" compact className="ld-dialog-callout">
            {unheld} of the selected items {unheld === 1 ? 'is' : 'are'} not held by anyone and will be
            reported as not done.
          </Callout>
        )}
        <ReasonField
          autoFocus
          id="release-reason"
          value={reason}
          onChange={setReason}
          onSubmit={() => void submit()}
        />
        {error && (
          <Callout intent="danger" compact role="alert">
            {error}
          </Callout>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button intent="warning" disabled={!canSubmit} loading={busy} onClick={() => void submit()}>
              Release
            </Button>
          </>
        }
      />
    </Dialog>
  );
}
