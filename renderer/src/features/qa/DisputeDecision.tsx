import { useState } from 'react';
import { Button, Checkbox, FormGroup, Radio, RadioGroup, TextArea } from '@blueprintjs/core';
import type { Dispute, ReviewDetail } from '@shared/api/qa-reviews';
import { call, describeError } from '../../bridge';
import { CommandKey } from '../../commands/CommandKey';
import { FormProblem } from './FormProblem';
import { DISPUTE_DECISION_LABELS, scoreText } from './qa-words';

type Decision = keyof typeof DISPUTE_DECISION_LABELS;

/**
 * A lead's decision on one open dispute: accept (every contested check becomes pass), partly
 * accept (the ones ticked), or reject; a comment always. The server works the score out again
 * and locks it.
 */
export function DisputeDecision({
  dispute,
  review,
  onDecided,
}: {
  dispute: Dispute;
  review: ReviewDetail;
  onDecided(message: string): void;
}) {
  const [decision, setDecision] = useState<Decision | null>(null);
  const [overturned, setOverturned] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const contested = review.rubric.filter((r) => dispute.contested.includes(r.id));
  const problem =
    decision === null
      ? 'Choose a decision.'
      : decision === 'partly_accept' && (overturned.length === 0 || overturned.length === contested.length)
        ? 'Tick the contested checks you accept: some, not all (to turn all of them, accept).'
        : comment.trim().length < 3
          ? 'Say why (at least 3 characters).'
          : null;
  const decide = async (): Promise<void> => {
    if (problem || decision === null) return;
    setBusy(true);
    setError(null);
    try {
      const body = {
        decision,
        comment: comment.trim(),
        overturned: decision === 'partly_accept' ? overturned : [],
      };
      const done = await call('qa.decideDispute', { id: dispute.id, body });
      onDecided(
        `${DISPUTE_DECISION_LABELS[decision]}: ${review.exception.id} scores ${scoreText(done.dispute.scoreAfter)} (was ${scoreText(done.dispute.scoreBefore)}); the score is locked.`,
      );
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="ld-qa-decision"
      aria-label="Decide the dispute"
      onSubmit={(e) => {
        e.preventDefault();
        void decide();
      }}
    >
      <RadioGroup
        inline
        name="dispute-decision"
        label={
          <span>
            Decision <CommandKey id="qa.decide" />
          </span>
        }
        selectedValue={decision ?? undefined}
        onChange={(e) => setDecision(e.currentTarget.value as Decision)}
        className="ld-dispute-decision"
      >
        {(Object.keys(DISPUTE_DECISION_LABELS) as Decision[]).map((d) => (
          <Radio key={d} value={d} label={DISPUTE_DECISION_LABELS[d]} />
        ))}
      </RadioGroup>
      {decision === 'partly_accept' && (
        <FormGroup label="Contested checks you accept (they become pass)">
          {contested.map((r) => (
            <Checkbox
              key={r.id}
              label={r.text}
              checked={overturned.includes(r.id)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setOverturned((o) => (on ? [...o, r.id] : o.filter((x) => x !== r.id)));
              }}
            />
          ))}
        </FormGroup>
      )}
      <FormGroup
        label="Comment"
        labelFor="dispute-comment"
        helperText="The operator and the reviewer see it."
      >
        <TextArea
          id="dispute-comment"
          fill
          rows={2}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
      </FormGroup>
      <FormProblem problem={problem} error={error} />
      <Button type="submit" intent="primary" icon="take-action" loading={busy} disabled={problem !== null}>
        Decide and lock the score
      </Button>
    </form>
  );
}
