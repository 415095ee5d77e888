import { useCallback, useState } from 'react';
import type { ExceptionFilter } from '@shared/kpis/filters';
import { call, describeError } from '../../bridge';
import { useUi } from '../../state/ui';
import { useQueueView } from '../queue/queue-state';

/** A figure's drill-down: asks the server for the ids behind it, then shows them in the queue grid. */
export function useDrill(): {
  drill(label: string, filter: ExceptionFilter): void;
  busy: string | null;
  error: string | null;
} {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const drill = useCallback((label: string, filter: ExceptionFilter) => {
    setBusy(label);
    setError(null);
    call('kpis.drill', { filter })
      .then(({ ids, total }) => {
        useQueueView.getState().setDrill({ label, ids, total });
        useUi.getState().setScreen('queue');
      })
      .catch((e: unknown) => setError(`Could not open the items behind ${label}: ${describeError(e)}`))
      .finally(() => setBusy(null));
  }, []);
  return { drill, busy, error };
}
