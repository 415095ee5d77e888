import { useCallback, useEffect, useRef, useState } from 'react';
import { Callout } from '@blueprintjs/core';
import type { IngestBatch } from '@shared/api/ingest';
import { periodSchema, type ReconRun, type ReconRunDetail } from '@shared/api/recon';
import { call, describeError } from '../../bridge';
import { CalloutTitle } from '../../components/CalloutTitle';
import { useCommands } from '../../commands/useCommands';
import { ExceptionDrawer } from '../../exception-views/ExceptionDrawer';
import { BatchesTable } from './BatchesTable';
import { MappingsPanel } from './MappingsPanel';
import { RunPanel, type RunPhase } from './RunPanel';
import { RunResults } from './RunResults';
import { UploadPanel } from './UploadPanel';

/** Last month, as the month a lead most often closes. */
function lastMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * A lead's reconciliation desk: import the month's files, see each batch, run the month with
 * progress, and drill into what the run did. Everything is decided on the server (online only);
 * the run's exceptions reach operators' queues by sync.
 */
export function ReconScreen() {
  const [batches, setBatches] = useState<IngestBatch[] | null>(null);
  const [runs, setRuns] = useState<ReconRun[] | null>(null);
  const [detail, setDetail] = useState<ReconRunDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [period, setPeriod] = useState(lastMonth);
  const [periodProblem, setPeriodProblem] = useState<string | null>(null);
  const [phase, setPhase] = useState<RunPhase>('idle');
  const [runError, setRunError] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const loadBatches = useCallback(() => {
    call('recon.batches', {})
      .then((r) => {
        setBatches(r.batches);
        setLoadError(null);
      })
      .catch((e: unknown) => setLoadError(describeError(e)));
  }, []);
  const loadRuns = useCallback(async (): Promise<ReconRun[]> => {
    const r = await call('recon.runs', {});
    setRuns(r.runs);
    return r.runs;
  }, []);
  const selectRun = useCallback((id: string) => {
    call('recon.runDetail', { id })
      .then(setDetail)
      .catch((e: unknown) => setLoadError(describeError(e)));
  }, []);

  useEffect(() => {
    loadBatches();
    call('recon.runs', {})
      .then((r) => {
        setRuns(r.runs);
        const latest = r.runs[0];
        if (latest) {
          setPeriod(latest.period);
          selectRun(latest.id);
        }
      })
      .catch((e: unknown) => setLoadError(describeError(e)));
  }, [loadBatches, selectRun]);

  const busy = phase === 'matching' || phase === 'loading';
  async function run(): Promise<void> {
    if (busy) return;
    const checked = periodSchema.safeParse(period.trim());
    if (!checked.success) {
      setPeriodProblem(checked.error.issues[0]?.message ?? 'expected a month such as 2026-03');
      document.getElementById('recon-period')?.focus();
      return;
    }
    setPeriodProblem(null);
    setRunError(null);
    setPhase('matching');
    try {
      const { run: done } = await call('recon.run', { period: checked.data });
      setPhase('loading');
      const [d] = await Promise.all([call('recon.runDetail', { id: done.id }), loadRuns()]);
      setDetail(d);
      loadBatches();
      setPhase('done');
    } catch (e) {
      setPhase('failed');
      setRunError(describeError(e));
    }
  }

  const { handleKeyDown, handleKeyUp } = useCommands({
    'recon.upload': { perform: () => fileInput.current?.click() },
    'recon.run': { perform: () => void run(), enabled: () => !busy },
  });

  return (
    <section className="ld-recon" aria-label="Reconciliation" onKeyDown={handleKeyDown} onKeyUp={handleKeyUp}>
      {loadError && (
        <Callout intent="warning" role="alert">
          <CalloutTitle>Reconciliation needs the server</CalloutTitle>
          {loadError}
        </Callout>
      )}
      <div className="ld-recon-top">
        <UploadPanel inputRef={fileInput} onImported={loadBatches} />
        <RunPanel
          period={period}
          onPeriod={setPeriod}
          periodProblem={periodProblem}
          phase={phase}
          error={runError}
          onRun={() => void run()}
        />
      </div>
      <BatchesTable batches={batches} />
      <RunResults runs={runs} detail={detail} onSelectRun={selectRun} onOpenException={setOpened} />
      <MappingsPanel />
      <ExceptionDrawer id={opened} onClose={() => setOpened(null)} onClosed={() => undefined} />
    </section>
  );
}
