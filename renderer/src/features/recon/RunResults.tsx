import { Button, H2, H3, HTMLTable, Tag } from '@blueprintjs/core';
import type { ReconMatch, ReconRun, ReconRunDetail } from '@shared/api/recon';
import { EXCEPTION_TYPE_LABELS, type ExceptionType } from '@shared/exception-types';
import { formatAmount } from '../../lib/money-format';
import { formatDateTime } from '../../lib/format';
import { RunCounts } from './RunPanel';

const OUTCOME_WORDS = { opened: 'Opened', updated: 'Updated', closed: 'Closed' } as const;
const OUTCOME_INTENT = { opened: 'warning', updated: 'primary', closed: 'success' } as const;

const typeLabel = (type: string): string =>
  type in EXCEPTION_TYPE_LABELS ? EXCEPTION_TYPE_LABELS[type as ExceptionType] : type;

interface Props {
  runs: readonly ReconRun[] | null;
  detail: ReconRunDetail | null;
  onSelectRun(id: string): void;
  onOpenException(id: string): void;
}

/** The runs so far, and the chosen run's drill-down: what it opened, updated and closed, and its suggestions. */
export function RunResults({ runs, detail, onSelectRun, onOpenException }: Props) {
  return (
    <section className="ld-recon-panel ld-recon-results" aria-labelledby="recon-results-h">
      <H2 id="recon-results-h" className="ld-section-h">
        Results
      </H2>
      {runs && runs.length === 0 && (
        <p className="ld-muted">No run yet. Run a month to see what matched and what did not.</p>
      )}
      {runs && runs.length > 0 && (
        <HTMLTable compact interactive aria-label="Reconciliation runs" data-testid="recon-runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Month</th>
              <th scope="col">Finished</th>
              <th scope="col" className="ld-num">
                Matched
              </th>
              <th scope="col" className="ld-num">
                Opened
              </th>
              <th scope="col" className="ld-num">
                Closed
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.slice(0, 10).map((r) => (
              <tr key={r.id} aria-selected={detail?.run.id === r.id}>
                <td>
                  <Button variant="minimal" size="small" onClick={() => onSelectRun(r.id)}>
                    Run {r.id}
                  </Button>
                </td>
                <td>{r.period}</td>
                <td>{formatDateTime(r.finishedAt)}</td>
                <td className="ld-num">{r.matched}</td>
                <td className="ld-num">{r.opened}</td>
                <td className="ld-num">{r.closed}</td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      )}
      {detail && <RunDetail detail={detail} onOpenException={onOpenException} />}
    </section>
  );
}

function RunDetail({
  detail,
  onOpenException,
}: {
  detail: ReconRunDetail;
  onOpenException(id: string): void;
}) {
  const { run, outcomes, suggestions, moreOutcomes } = detail;
  return (
    <div data-testid="recon-run-detail">
      <H3 className="ld-section-h">
        Run {run.id} · {run.period} · by {run.runBy}
      </H3>
      <RunCounts run={run} />
      <MatchedTable matched={detail.matched} total={run.matched} />
      <H3 className="ld-section-h">What did not match</H3>
      <p className="ld-small ld-muted">Open an exception to see the source rows the run compared.</p>
      {outcomes.length === 0 ? (
        <p>This run opened, updated and closed nothing.</p>
      ) : (
        <div className="ld-recon-scroll" tabIndex={0} role="region" aria-label="Run outcomes, scrollable">
          <HTMLTable compact striped aria-label="Run outcomes" data-testid="recon-outcomes">
            <thead>
              <tr>
                <th scope="col">Exception</th>
                <th scope="col">Outcome</th>
                <th scope="col">Type</th>
                <th scope="col">Customer</th>
                <th scope="col">Status now</th>
                <th scope="col" className="ld-num">
                  Variance
                </th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((o) => (
                <tr key={`${o.exceptionId}-${o.outcome}`}>
                  <td>
                    <Button variant="minimal" size="small" onClick={() => onOpenException(o.exceptionId)}>
                      {o.exceptionId}
                    </Button>
                  </td>
                  <td>
                    <Tag minimal intent={OUTCOME_INTENT[o.outcome]}>
                      {OUTCOME_WORDS[o.outcome]}
                    </Tag>
                  </td>
                  <td>{typeLabel(o.type)}</td>
                  <td>{o.customerName || o.partnerAccountId || '—'}</td>
                  <td>{o.status.replaceAll('_', ' ')}</td>
                  <td className="ld-num">{formatAmount({ amount: o.variance, currency: o.currency })}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
          {moreOutcomes > 0 && (
            <p className="ld-small">…and {moreOutcomes} more (the highest priorities are listed).</p>
          )}
        </div>
      )}
      {suggestions.length > 0 && (
        <>
          <H3 className="ld-section-h">Suggested pairings</H3>
          <p className="ld-small ld-muted">
            Nothing was opened for these; confirming them in the app is not built yet.
          </p>
          <ul aria-label="Suggested pairings" data-testid="recon-suggestions">
            {suggestions.map((s) => (
              <li key={s.reconKey}>
                <strong>{s.kind.replaceAll('_', ' ')}</strong>:{' '}
                {Object.entries(s.details)
                  .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                  .join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** What agreed, exactly or within tolerance: cleared with no one touching it (a sample of up to 1,000). */
function MatchedTable({ matched, total }: { matched: readonly ReconMatch[]; total: number }) {
  const amount = (value: string, currency: string): string =>
    formatAmount({ amount: value, currency }, { line: true });
  return (
    <>
      <H3 className="ld-section-h">What matched</H3>
      <p className="ld-small ld-muted">
        {total} comparisons agreed, exactly or within tolerance, and were cleared with no one touching them
        {matched.length < total ? `; the first ${matched.length} are listed` : ''}.
      </p>
      {matched.length > 0 && (
        <div
          className="ld-recon-scroll"
          tabIndex={0}
          role="region"
          aria-label="Matched comparisons, scrollable"
        >
          <HTMLTable compact striped aria-label="Matched comparisons" data-testid="recon-matched">
            <thead>
              <tr>
                <th scope="col">Comparison</th>
                <th scope="col">Customer</th>
                <th scope="col" className="ld-num">
                  Expected
                </th>
                <th scope="col" className="ld-num">
                  Actual
                </th>
                <th scope="col" className="ld-num">
                  Difference
                </th>
                <th scope="col" className="ld-num">
                  Source rows
                </th>
              </tr>
            </thead>
            <tbody>
              {matched.map((m) => (
                <tr key={m.reconKey}>
                  <td title={m.reconKey}>
                    {typeLabel(m.type)} ({m.channel})
                  </td>
                  <td>{m.customerName}</td>
                  <td className="ld-num">{amount(m.expected, m.currency)}</td>
                  <td className="ld-num">{amount(m.actual, m.currency)}</td>
                  <td className="ld-num">{amount(m.difference, m.currency)}</td>
                  <td className="ld-num">{m.sources}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        </div>
      )}
    </>
  );
}
