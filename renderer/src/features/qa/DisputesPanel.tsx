import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Callout,
  H2,
  H3,
  HTMLSelect,
  HTMLTable,
  NonIdealState,
  Spinner,
  Tag,
} from '@blueprintjs/core';
import { DISPUTE_STATES, type Dispute, type ReviewDetail } from '@shared/api/qa-reviews';
import { call, describeError } from '../../bridge';
import { useSession } from '../../state/session';
import { formatDateTime } from '../../lib/format';
import { useCommands } from '../../commands/useCommands';
import { CalloutTitle } from '../../components/CalloutTitle';
import { RubricResults } from './RubricResults';
import { DisputeDecision } from './DisputeDecision';
import { scoreText } from './qa-words';

type DisputeState = (typeof DISPUTE_STATES)[number];
const STATE_LABELS: Readonly<Record<DisputeState, string>> = {
  open: 'To decide',
  accepted: 'Accepted',
  partly_accepted: 'Partly accepted',
  rejected: 'Rejected',
};
type Row = { dispute: Dispute; review: ReviewDetail };

/**
 * Leads' disputes: operators contesting failed checks. Neither the reviewer nor the operator
 * may decide (the server refuses and says why); a decision locks the score.
 */
export function DisputesPanel() {
  const me = useSession((s) => s.session?.user.id);
  const [state, setState] = useState<DisputeState>('open');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(() => {
    call('qa.disputes', { state })
      // A dispute names its review only: the item and the checks come with the review.
      .then(async ({ disputes }) =>
        Promise.all(
          disputes.map(async (d) => ({
            dispute: d,
            review: (await call('qa.review', { id: d.reviewId })).review,
          })),
        ),
      )
      .then((loaded) => {
        setRows(loaded);
        setError(null);
        setSelected((s) =>
          s && loaded.some((r) => r.dispute.id === s) ? s : (loaded[0]?.dispute.id ?? null),
        );
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, [state]);
  useEffect(load, [load]);
  useCommands({
    'qa.decide': {
      perform: () => document.querySelector<HTMLElement>('.ld-dispute-decision input')?.focus(),
    },
  });

  const current = rows?.find((r) => r.dispute.id === selected) ?? null;
  return (
    <section className="ld-approvals" aria-label="QA disputes">
      <div className="ld-approvals-list">
        <div className="ld-approvals-head">
          <H2 className="ld-section-h" tabIndex={-1} id="disputes-h">
            Disputes
          </H2>
          <HTMLSelect
            aria-label="Dispute state"
            value={state}
            onChange={(e) => setState(e.currentTarget.value as DisputeState)}
            options={DISPUTE_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
          />
          <Button
            size="small"
            variant="minimal"
            icon="refresh"
            aria-label="Refresh disputes"
            onClick={load}
          />
        </div>
        <div role="status" data-testid="dispute-notice">
          {done && (
            <Callout compact intent="success" icon="lock">
              {done}
            </Callout>
          )}
        </div>
        {error && (
          <Callout intent="warning" role="alert">
            <CalloutTitle>Disputes need the server</CalloutTitle>
            {error}
          </Callout>
        )}
        {!rows && !error && <NonIdealState icon={<Spinner size={24} aria-label="Loading disputes" />} />}
        {rows && rows.length === 0 && <NonIdealState icon="tick-circle" title="No disputes here" />}
        {rows && rows.length > 0 && (
          <HTMLTable compact interactive aria-label="Disputes" className="ld-approvals-table">
            <thead>
              <tr>
                <th scope="col">Exception</th>
                <th scope="col">Operator</th>
                <th scope="col">Score</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ dispute: d, review: r }) => (
                <tr
                  key={d.id}
                  tabIndex={0}
                  aria-selected={d.id === selected}
                  className={d.id === selected ? 'ld-row-selected' : undefined}
                  onClick={() => setSelected(d.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setSelected(d.id);
                    }
                  }}
                >
                  <td className="ld-mono">{r.exception.id}</td>
                  <td>{r.operatorName}</td>
                  <td className="ld-mono">
                    {scoreText(d.scoreBefore)}
                    {d.scoreAfter !== null && ` → ${scoreText(d.scoreAfter)}`}
                  </td>
                  <td>{formatDateTime(d.openedAt)}</td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        )}
      </div>
      <div className="ld-approvals-detail">
        {current && (
          <article aria-labelledby="dispute-h" className="ld-approval" key={current.dispute.id}>
            <H3 id="dispute-h">
              <span className="ld-mono">{current.review.exception.id}</span>{' '}
              <span className="ld-muted">
                · {current.review.operatorName} contests {current.dispute.contested.length} checks
              </span>
            </H3>
            <p>
              <strong>Operator's comment:</strong> {current.dispute.comment}
            </p>
            <RubricResults rubric={current.review.rubric} label="The review's checks" />
            {current.review.feedback && <p>Reviewer's feedback: {current.review.feedback}</p>}
            {current.dispute.state !== 'open' ? (
              <p data-testid="dispute-outcome">
                <Tag intent="primary" minimal icon="lock">
                  {STATE_LABELS[current.dispute.state]}
                </Tag>{' '}
                {current.dispute.decisionComment} Score {scoreText(current.dispute.scoreBefore)} →{' '}
                {scoreText(current.dispute.scoreAfter)}, locked.
              </p>
            ) : current.review.reviewerId === me || current.review.operatorId === me ? (
              <Callout intent="warning" icon="blocked-person" role="note">
                You scored this review or did the work, so another lead must decide it.
              </Callout>
            ) : (
              <DisputeDecision
                dispute={current.dispute}
                review={current.review}
                onDecided={(message) => {
                  setDone(message);
                  load();
                }}
              />
            )}
          </article>
        )}
      </div>
    </section>
  );
}
