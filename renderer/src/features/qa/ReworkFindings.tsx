import { useEffect, useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogBody,
  DialogFooter,
  FormGroup,
  Tag,
  TextArea,
} from '@blueprintjs/core';
import type { ReviewDetail } from '@shared/api/qa-reviews';
import { call, describeError } from '../../bridge';
import { NO_TRANSITION } from '../../lib/overlay';
import { useCommands } from '../../commands/useCommands';
import { CommandKey } from '../../commands/CommandKey';
import { RubricResults } from './RubricResults';
import { FormProblem } from './FormProblem';
import { scoreText } from './qa-words';
import './qa.css';

const DISPUTE_WORDS = {
  open: 'You contested these findings; a lead will decide.',
  accepted: 'A lead accepted your dispute.',
  partly_accepted: 'A lead partly accepted your dispute.',
  rejected: 'A lead rejected your dispute.',
} as const;

/**
 * Under the returned callout of a rework item: the reviewer's failed checks with their comments,
 * and the operator's way to contest them (Alt+C, once per review, with a comment). Online only:
 * offline the callout's feedback is what the operator has, and nothing shows here.
 */
export function ReworkFindings({ exceptionId }: { exceptionId: string }) {
  const [review, setReview] = useState<ReviewDetail | null>(null);
  const [contesting, setContesting] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    call('qa.myReviews', {})
      .then(async ({ reviews }) => {
        // Newest first: the failed review that sent this item back.
        const failed = reviews.find((r) => r.exceptionId === exceptionId && r.outcome === 'fail');
        if (!failed) return;
        const { review: detail } = await call('qa.review', { id: failed.id });
        if (live) setReview(detail);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [exceptionId, version]);
  const canContest = review !== null && review.state === 'submitted' && review.dispute === null;
  useCommands({ 'workspace.contest': { perform: () => setContesting(true), enabled: () => canContest } });
  if (!review) return null;
  return (
    <section className="ld-qa-findings" aria-labelledby="qa-findings-h" data-testid="qa-findings">
      <h3 id="qa-findings-h" className="ld-section-h">
        Reviewer's findings <span className="ld-muted ld-small">(score {scoreText(review.score)})</span>
      </h3>
      <RubricResults rubric={review.rubric} only={(r) => r.outcome === 'fail'} label="Failed checks" />
      {review.dispute ? (
        <p className="ld-small" data-testid="qa-dispute-state">
          <Tag minimal icon={review.dispute.state === 'open' ? 'time' : 'lock'}>
            {DISPUTE_WORDS[review.dispute.state]}
          </Tag>
        </p>
      ) : (
        canContest && (
          <Button size="small" icon="issue" onClick={() => setContesting(true)}>
            Contest findings <CommandKey id="workspace.contest" />
          </Button>
        )
      )}
      <ContestDialog
        review={review}
        isOpen={contesting}
        onClose={() => setContesting(false)}
        onSent={() => {
          setContesting(false);
          setVersion((v) => v + 1);
        }}
      />
    </section>
  );
}

function ContestDialog({
  review,
  isOpen,
  onClose,
  onSent,
}: {
  review: ReviewDetail;
  isOpen: boolean;
  onClose(): void;
  onSent(): void;
}) {
  const failed = review.rubric.filter((r) => r.outcome === 'fail');
  const [contested, setContested] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem =
    contested.length === 0
      ? 'Tick the findings you contest.'
      : comment.trim().length < 3
        ? 'Say why the findings are wrong (at least 3 characters).'
        : null;
  const send = async (): Promise<void> => {
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    try {
      await call('qa.dispute', { id: review.id, body: { contested, comment: comment.trim() } });
      onSent();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      {...NO_TRANSITION}
      isOpen={isOpen}
      onClose={onClose}
      title="Contest the reviewer's findings"
      onOpening={() => {
        setContested([]);
        setComment('');
        setError(null);
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <DialogBody>
          <p className="ld-small">
            A lead who is not the reviewer decides, once; the score is then locked. You can contest a review
            once.
          </p>
          <FormGroup label="Findings you contest">
            {failed.map((r, i) => (
              <Checkbox
                key={r.id}
                autoFocus={i === 0}
                label={`${r.text} (reviewer: ${r.comment ?? ''})`}
                checked={contested.includes(r.id)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setContested((c) => (on ? [...c, r.id] : c.filter((x) => x !== r.id)));
                }}
              />
            ))}
          </FormGroup>
          <FormGroup label="Why they are wrong" labelFor="contest-comment">
            <TextArea
              id="contest-comment"
              fill
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
            />
          </FormGroup>
          <FormProblem problem={problem} error={error} />
        </DialogBody>
        <DialogFooter
          actions={
            <>
              <Button onClick={onClose}>Cancel</Button>
              <Button type="submit" intent="primary" loading={busy} disabled={problem !== null}>
                Send to a lead
              </Button>
            </>
          }
        />
      </form>
    </Dialog>
  );
}
