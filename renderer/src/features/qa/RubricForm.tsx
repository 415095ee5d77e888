import { useRef, useState } from 'react';
import { Button, FormGroup, H3, InputGroup, Radio, RadioGroup, Tag, TextArea } from '@blueprintjs/core';
import type { ReviewDetail } from '@shared/api/qa-reviews';
import { QA_PASS_MARK_PERCENT, type RubricAnswer } from '@shared/qa/rubric';
import { RUBRIC_OUTCOMES, type RubricOutcome } from '@shared/qa/agreement';
import { FormProblem } from './FormProblem';
import { useCommands } from '../../commands/useCommands';
import { CommandKey } from '../../commands/CommandKey';
import { OUTCOME_LABELS } from './qa-words';

type Draft = Record<string, { outcome: RubricOutcome | null; comment: string }>;

/** What the scores so far mean: the server decides, this only tells the reviewer before they submit. */
function verdict(rubric: ReviewDetail['rubric'], draft: Draft) {
  const scored = rubric.filter((r) => draft[r.id]?.outcome === 'pass' || draft[r.id]?.outcome === 'fail');
  const passed = scored.filter((r) => draft[r.id]?.outcome === 'pass').length;
  const criticalFailed = rubric.some((r) => r.critical && draft[r.id]?.outcome === 'fail');
  const open = rubric.filter((r) => !draft[r.id]?.outcome).length;
  // Whole numbers only: passed/scored >= 90% without a division.
  const fails = criticalFailed || passed * 100 < Number(QA_PASS_MARK_PERCENT) * scored.length;
  return { scored: scored.length, passed, criticalFailed, open, fails: scored.length > 0 && fails };
}

/**
 * The rubric of the SOP version the operator followed: each check pass, fail or N/A (arrow keys
 * inside a check, Alt+J / Alt+K between checks), a comment required on a fail, feedback for the
 * operator required when the review fails, then submit (Ctrl+Enter).
 */
export function RubricForm({
  review,
  busy,
  error,
  onSubmit,
}: {
  review: ReviewDetail;
  busy: boolean;
  error: string | null;
  onSubmit(items: RubricAnswer[], feedback: string): void;
}) {
  const [draft, setDraft] = useState<Draft>({});
  const [feedback, setFeedback] = useState('');
  const root = useRef<HTMLFormElement>(null);
  const v = verdict(review.rubric, draft);
  const missingComment = review.rubric.filter(
    (r) => draft[r.id]?.outcome === 'fail' && (draft[r.id]?.comment.trim().length ?? 0) < 3,
  );
  const problem =
    v.open > 0
      ? `Score every check (${v.open} left).`
      : missingComment.length > 0
        ? 'Say what was wrong on every failed check (at least 3 characters).'
        : v.fails && feedback.trim().length < 3
          ? 'A failed review needs feedback for the operator.'
          : null;
  const set = (id: string, patch: Partial<Draft[string]>): void =>
    setDraft((d) => ({ ...d, [id]: { outcome: null, comment: '', ...d[id], ...patch } }));
  const move = (step: 1 | -1): void => {
    const checks = [...(root.current?.querySelectorAll<HTMLElement>('.ld-qa-check') ?? [])];
    const at = checks.findIndex((c) => c.contains(document.activeElement));
    const target = checks[Math.min(checks.length - 1, Math.max(0, at === -1 ? 0 : at + step))];
    (
      target?.querySelector<HTMLElement>('input:checked') ?? target?.querySelector<HTMLElement>('input')
    )?.focus();
  };
  const submit = (): void => {
    if (problem || busy) return;
    onSubmit(
      review.rubric.map((r) => ({
        id: r.id,
        outcome: draft[r.id]?.outcome ?? 'na',
        comment: draft[r.id]?.comment.trim() ?? '',
      })),
      feedback.trim(),
    );
  };
  useCommands({
    'qa.nextCheck': { perform: () => move(1) },
    'qa.previousCheck': { perform: () => move(-1) },
    'qa.feedback': { perform: () => document.getElementById('qa-feedback')?.focus() },
    'qa.submit': { perform: submit },
  });
  return (
    <form
      ref={root}
      className="ld-qa-rubric"
      aria-labelledby="qa-rubric-h"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <H3 id="qa-rubric-h" className="ld-section-h">
        Rubric <span className="ld-muted ld-small">({review.rubric.length} checks)</span>
      </H3>
      <ol className="ld-qa-checks">
        {review.rubric.map((r, i) => {
          const d = draft[r.id];
          return (
            <li key={r.id} className="ld-qa-check" data-check-id={r.id} data-outcome={d?.outcome ?? ''}>
              <RadioGroup
                inline
                name={`qa-check-${i}`}
                label={
                  <span>
                    {r.text}{' '}
                    {r.critical && (
                      <Tag intent="danger" minimal>
                        Critical
                      </Tag>
                    )}
                  </span>
                }
                selectedValue={d?.outcome ?? undefined}
                onChange={(e) => set(r.id, { outcome: e.currentTarget.value as RubricOutcome })}
              >
                {RUBRIC_OUTCOMES.map((o) => (
                  <Radio key={o} value={o} label={OUTCOME_LABELS[o]} />
                ))}
              </RadioGroup>
              <InputGroup
                size="small"
                aria-label={`Comment on check ${i + 1}${d?.outcome === 'fail' ? ' (required: what was wrong)' : ''}`}
                placeholder={d?.outcome === 'fail' ? 'What was wrong (required)' : 'Comment (optional)'}
                value={d?.comment ?? ''}
                onValueChange={(comment) => set(r.id, { comment })}
              />
            </li>
          );
        })}
      </ol>
      <FormGroup
        label="Feedback for the operator"
        labelFor="qa-feedback"
        helperText="Required when the review fails; the operator reads it with the rework."
      >
        <TextArea
          id="qa-feedback"
          fill
          rows={3}
          value={feedback}
          onChange={(e) => setFeedback(e.currentTarget.value)}
        />
      </FormGroup>
      <p className="ld-small" role="status" data-testid="qa-verdict">
        {v.scored === 0
          ? 'Nothing scored yet.'
          : `${v.passed} of ${v.scored} scored checks pass${v.criticalFailed ? '; a critical check failed' : ''}: the review ${v.fails ? 'fails and the item goes back as rework' : 'passes'}.`}
      </p>
      <FormProblem problem={problem} error={error} />
      <Button type="submit" intent="primary" icon="endorsed" loading={busy} disabled={problem !== null}>
        Submit the review <CommandKey id="qa.submit" />
      </Button>
    </form>
  );
}
