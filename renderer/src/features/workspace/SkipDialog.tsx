import { useState } from 'react';
import { Button, Dialog, DialogBody, DialogFooter, FormGroup, HTMLSelect, TextArea } from '@blueprintjs/core';
import {
  SKIP_DETAILS_MIN,
  SKIP_REASONS,
  skipReasonProblem,
  skipReasonText,
  type SkipReasonId,
} from '@shared/skip-reasons';
import { NO_TRANSITION } from '../../lib/overlay';

interface Props {
  isOpen: boolean;
  exceptionId: string;
  busy: boolean;
  onCancel(): void;
  onSkip(reason: string): void;
}

/**
 * Skipping gives the item back to the team queue (not to this operator for some hours); the
 * reason, chosen from the SOP's list plus the operator's words, is recorded and shown to leads.
 * The rule for the details is said up front, not only when the skip is refused.
 */
export function SkipDialog({ isOpen, exceptionId, busy, onCancel, onSkip }: Props) {
  const [reason, setReason] = useState<SkipReasonId | null>(null);
  const [details, setDetails] = useState('');
  const [tried, setTried] = useState(false);
  const problem = skipReasonProblem(reason, details);
  const submit = (): void => {
    setTried(true);
    if (problem === null && reason !== null && !busy) onSkip(skipReasonText(reason, details));
  };
  const needsDetails = SKIP_REASONS.find((r) => r.id === reason)?.needsDetails ?? false;
  // Cleared as the dialog opens, not when its open transition ends (onOpened): the first field
  // has focus from the first frame, and a quick typist's first words were wiped 300 ms later.
  return (
    <Dialog
      {...NO_TRANSITION}
      isOpen={isOpen}
      onClose={onCancel}
      title={`Skip ${exceptionId}`}
      onOpening={() => {
        setReason(null);
        setDetails('');
        setTried(false);
      }}
    >
      <DialogBody>
        <p className="ld-small">
          The item goes back to the team queue for another operator; get next does not offer it to you again
          for some hours. Leads see your reason.
        </p>
        <FormGroup label="Reason (from the SOP)" labelFor="skip-reason-choice">
          <HTMLSelect
            id="skip-reason-choice"
            autoFocus
            fill
            value={reason ?? ''}
            onChange={(e) => setReason((e.currentTarget.value || null) as SkipReasonId | null)}
          >
            <option value="">Choose a reason…</option>
            {SKIP_REASONS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </HTMLSelect>
        </FormGroup>
        <FormGroup
          label={needsDetails ? 'Details (required)' : 'Details (optional)'}
          labelFor="skip-reason"
          helperText={`${needsDetails ? `At least ${SKIP_DETAILS_MIN} characters. ` : ''}Enter skips, Esc keeps working.`}
          intent={tried && problem ? 'danger' : 'none'}
        >
          <TextArea
            id="skip-reason"
            fill
            rows={3}
            value={details}
            onChange={(e) => setDetails(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                submit();
              }
            }}
          />
        </FormGroup>
        {tried && problem && (
          <p className="ld-small ld-skip-problem" role="alert">
            {problem}
          </p>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button onClick={onCancel}>Keep working</Button>
            <Button intent="warning" disabled={problem !== null} loading={busy} onClick={submit}>
              Skip item
            </Button>
          </>
        }
      />
    </Dialog>
  );
}
