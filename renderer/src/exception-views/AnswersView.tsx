import { FormGroup } from '@blueprintjs/core';
import type { Answers, SopModule } from '@shared/sop/module';
import { describeAnswers } from '../lib/answer-words';
import { EvidenceFiles } from './EvidenceFiles';

/**
 * An operator's checklist answers in words (the labels of the SOP version they followed) and the
 * files they attached, as a lead approving or a reviewer scoring reads them.
 */
export function AnswersView({
  module,
  answers,
  testId,
}: {
  module: SopModule | null;
  answers: Answers;
  testId: string;
}) {
  const lines = describeAnswers(module, answers);
  return (
    <>
      <FormGroup label="Checklist answers">
        {lines.length === 0 ? (
          <p className="ld-muted ld-small">No checklist answers were recorded.</p>
        ) : (
          <dl className="ld-fields ld-answers" data-testid={testId}>
            {lines.map((line) => (
              <div className="ld-field" key={line.key}>
                <dt>{line.label}</dt>
                <dd>{line.value}</dd>
              </div>
            ))}
          </dl>
        )}
      </FormGroup>
      <FormGroup label="Evidence files">
        <EvidenceFiles answers={answers} />
      </FormGroup>
    </>
  );
}
