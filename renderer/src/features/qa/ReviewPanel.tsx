import { useEffect, useState } from 'react';
import { Button, Callout, H2, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import type { ReviewDetail } from '@shared/api/qa-reviews';
import type { RubricAnswer } from '@shared/qa/rubric';
import { EXCEPTION_TYPE_LABELS, type ExceptionType } from '@shared/exception-types';
import { call, describeError } from '../../bridge';
import { RecordView } from '../../exception-views/RecordView';
import { NotesThread } from '../../exception-views/NotesThread';
import { CalloutTitle } from '../../components/CalloutTitle';
import { OperatorWork } from './OperatorWork';
import { RubricForm } from './RubricForm';
import { RubricResults } from './RubricResults';
import { KIND_LABELS, REVIEW_STATE_LABELS, scoreText } from './qa-words';
import './qa.css';

/**
 * A re-review stays `awaiting_rework` until scored; the server offers it once the operator has
 * resolved the reworked item again.
 */
const scoreable = (r: ReviewDetail): boolean =>
  r.state === 'pending' || (r.state === 'awaiting_rework' && r.exception.status === 'resolved');

/**
 * One review: the item and the operator's work on the left, the rubric on the right. A pending
 * review is scored here; a scored one shows its checks, feedback and any dispute. Esc goes back.
 */
export function ReviewPanel({
  id,
  onBack,
  onSubmitted,
}: {
  id: string;
  onBack(): void;
  onSubmitted(message: string): void;
}) {
  const [review, setReview] = useState<ReviewDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('qa.review', { id })
      .then((r) => live && setReview(r.review))
      .catch((e: unknown) => live && setLoadError(describeError(e)));
    return () => {
      live = false;
    };
  }, [id]);

  const submit = async (items: RubricAnswer[], feedback: string): Promise<void> => {
    if (!review) return;
    setBusy(true);
    setError(null);
    try {
      const { review: done } = await call('qa.submit', { id, body: { items, feedback } });
      onSubmitted(
        done.outcome === 'pass'
          ? `${review.exception.id} passed (${scoreText(done.score)}).`
          : `${review.exception.id} failed (${scoreText(done.score)}): it went back to ${review.operatorName} as rework with your feedback.`,
      );
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section
      className="ld-qa-review"
      aria-label={`Review of ${review?.exception.id ?? 'an item'}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) onBack();
      }}
    >
      <header className="ld-workspace-bar">
        <Button
          variant="minimal"
          size="small"
          icon="arrow-left"
          onClick={onBack}
          aria-label="Back to the sample"
        />
        {review && (
          <H2 className="ld-workspace-title" id="qa-review-h">
            <span className="ld-mono">{review.exception.id}</span>{' '}
            <span className="ld-muted">
              · {EXCEPTION_TYPE_LABELS[review.exceptionType as ExceptionType] ?? review.exceptionType} ·{' '}
              {review.operatorName}
            </span>
          </H2>
        )}
        {review && (
          <>
            <Tag minimal>{KIND_LABELS[review.kind]}</Tag>
            <Tag minimal data-testid="qa-review-state">
              {scoreable(review) ? REVIEW_STATE_LABELS.pending : REVIEW_STATE_LABELS[review.state]}
            </Tag>
            {review.previousReviewId && <Tag minimal>Re-review after rework</Tag>}
          </>
        )}
      </header>
      {loadError && (
        <Callout intent="warning" role="alert">
          <CalloutTitle>Could not open the review</CalloutTitle>
          {loadError}
        </Callout>
      )}
      {!review && !loadError && (
        <NonIdealState icon={<Spinner size={24} aria-label="Loading the review" />} />
      )}
      {review && (
        <div className="ld-workspace-body">
          <div className="ld-workspace-record">
            <OperatorWork review={review} />
            <RecordView record={review.exception} />
            <NotesThread exceptionId={review.exception.id} canAdd={false} idPrefix="qa-notes" />
          </div>
          <div className="ld-workspace-checklist">
            {scoreable(review) ? (
              <RubricForm review={review} busy={busy} error={error} onSubmit={(i, f) => void submit(i, f)} />
            ) : (
              <>
                <p data-testid="qa-review-score">
                  Score {scoreText(review.score)} ·{' '}
                  {review.outcome === 'pass' ? 'Passed' : review.outcome === 'fail' ? 'Failed' : 'Not scored'}
                </p>
                <RubricResults rubric={review.rubric} label="Scored checks" />
                {review.feedback && <p>Feedback: {review.feedback}</p>}
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
