import { Button, Callout, FormGroup, H2, InputGroup, ProgressBar } from '@blueprintjs/core';
import type { ReconRun } from '@shared/api/recon';
import { CommandKey } from '../../commands/CommandKey';

/** Where a run from this screen is: the server matches in one transaction, then the results load. */
export type RunPhase = 'idle' | 'matching' | 'loading' | 'done' | 'failed';

const PHASES: Record<Exclude<RunPhase, 'idle'>, { step: number; text: string }> = {
  matching: { step: 1, text: 'Step 1 of 3: matching on the server (all or nothing)…' },
  loading: { step: 2, text: 'Step 2 of 3: reading what the run did…' },
  done: { step: 3, text: 'Step 3 of 3: done.' },
  failed: { step: 3, text: 'The run failed; nothing changed.' },
};

interface Props {
  period: string;
  onPeriod(period: string): void;
  periodProblem: string | null;
  phase: RunPhase;
  error: string | null;
  onRun(): void;
}

export function RunPanel({ period, onPeriod, periodProblem, phase, error, onRun }: Props) {
  const busy = phase === 'matching' || phase === 'loading';
  const shown = phase === 'idle' ? null : PHASES[phase];
  return (
    <section className="ld-recon-panel" aria-labelledby="recon-run-h">
      <H2 id="recon-run-h" className="ld-section-h">
        Reconcile a month
      </H2>
      <form
        className="ld-recon-row"
        onSubmit={(e) => {
          e.preventDefault();
          onRun();
        }}
      >
        <FormGroup
          label="Month"
          labelFor="recon-period"
          inline
          intent={periodProblem ? 'danger' : 'none'}
          helperText={periodProblem ?? 'YYYY-MM'}
        >
          <InputGroup
            id="recon-period"
            value={period}
            onValueChange={onPeriod}
            placeholder="2026-03"
            intent={periodProblem ? 'danger' : 'none'}
            aria-invalid={periodProblem !== null}
          />
        </FormGroup>
        <Button type="submit" intent="primary" icon="automatic-updates" loading={busy}>
          Run reconciliation <CommandKey id="recon.run" />
        </Button>
      </form>
      {shown && (
        <div className="ld-recon-progress" data-testid="recon-progress">
          <ProgressBar
            value={shown.step / 3}
            animate={busy}
            stripes={busy}
            intent={phase === 'failed' ? 'danger' : phase === 'done' ? 'success' : 'primary'}
            aria-label="Reconciliation progress"
          />
          <span className="ld-small" role="status" aria-live="polite">
            {shown.text}
          </span>
        </div>
      )}
      {error && (
        <Callout compact intent="danger" role="alert">
          {error}
        </Callout>
      )}
    </section>
  );
}

const COUNT_WORDS: ReadonlyArray<readonly [keyof ReconRun, string, string]> = [
  ['matched', 'Matched', 'cleared automatically, within tolerance'],
  ['suggested', 'Suggested', 'pairings a person confirms'],
  ['opened', 'Opened', 'new exceptions'],
  ['updated', 'Updated', 'exceptions whose amounts or evidence changed'],
  ['closed', 'Closed', 'no longer found; auto-cleared if nobody had started'],
  ['unchanged', 'Unchanged', 'still open, nothing new'],
  ['skipped', 'Skipped', 'in a currency an exception cannot hold yet'],
];

/** A run's counts, each with what it means. */
export function RunCounts({ run }: { run: ReconRun }) {
  return (
    <dl className="ld-recon-counts" aria-label={`Counts of run ${run.id}`} data-testid="recon-counts">
      {COUNT_WORDS.filter(([k]) => k !== 'skipped' || run.skipped > 0).map(([key, label, hint]) => (
        <div key={key} className="ld-recon-count" title={hint}>
          <dt>{label}</dt>
          <dd data-count={key}>{String(run[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
