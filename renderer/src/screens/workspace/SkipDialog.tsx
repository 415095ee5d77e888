import { useState } from 'react';
import { Button, Dialog, DialogBody, DialogFooter, FormGroup, TextArea } from '@blueprintjs/core';
import { NO_TRANSITION } from '../../lib/overlay';

interface Props {
  isOpen: boolean;
  exceptionId: string;
  busy: boolean;
  onCancel(): void;
  onSkip(reason: string): void;
}

/** Skipping gives the item back to the queue; the reason is recorded and shown to leads. */
export function SkipDialog({ isOpen, exceptionId, busy, onCancel, onSkip }: Props) {
  const [reason, setReason] = useState('');
  const ok = reason.trim().length >= 3;
  const submit = (): void => {
    if (ok && !busy) onSkip(reason.trim());
  };
  // Cleared as the dialog opens, not when its open transition ends (onOpened): the text area has
  // focus from the first frame, and a quick typist's first words were wiped 300 ms later.
  return (
    <Dialog
      {...NO_TRANSITION}
      isOpen={isOpen}
      onClose={onCancel}
      title={`Skip ${exceptionId}`}
      onOpening={() => setReason('')}
    >
      <DialogBody>
        <FormGroup
          label="Why are you skipping it?"
          labelFor="skip-reason"
          helperText="Leads see this. Enter to skip, Esc to keep working."
        >
          <TextArea
            id="skip-reason"
            autoFocus
            fill
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                submit();
              }
            }}
          />
        </FormGroup>
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button onClick={onCancel}>Keep working</Button>
            <Button intent="warning" disabled={!ok} loading={busy} onClick={submit}>
              Skip item
            </Button>
          </>
        }
      />
    </Dialog>
  );
}
