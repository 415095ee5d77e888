import { useState } from 'react';
import { describeError } from '../../bridge';
import { MIN_REASON } from './ReasonField';

/**
 * What a lead's team dialog holds: the required reason, whether the action is running, and the
 * error of the last attempt. `run` passes the trimmed reason to the action and shows its error.
 */
export function useTeamAction() {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    reason,
    setReason,
    busy,
    error,
    reasonGiven: reason.trim().length >= MIN_REASON,
    /** For the dialog's onOpening: each opening starts blank. */
    reset(): void {
      setReason('');
      setError(null);
    },
    async run(action: (reason: string) => Promise<void>): Promise<void> {
      setBusy(true);
      setError(null);
      try {
        await action(reason.trim());
      } catch (e) {
        setError(describeError(e));
      } finally {
        setBusy(false);
      }
    },
  };
}
