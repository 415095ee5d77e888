import { FormGroup, H3 } from '@blueprintjs/core';
import type { ReviewDetail } from '@shared/api/qa-reviews';
import { RESOLUTION_CODES, type ResolutionCode } from '@shared/resolution';
import type { ResolutionAction } from '@shared/resolution';
import { useSopModule } from '../../lib/useSopModule';
import { formatAmount } from '../../lib/money-format';
import { formatDate, formatDateTime } from '../../lib/format';
import { ACTION_LABELS } from '../../lib/labels';
import { AnswersView } from '../../exception-views/AnswersView';

/**
 * What the operator did, beside the item: the resolution as recorded, their checklist answers in
 * words (labels of the SOP version they followed) and the files they attached.
 */
export function OperatorWork({ review }: { review: ReviewDetail }) {
  const module = useSopModule(review.sop);
  const r = review.resolution;
  const code = r ? (RESOLUTION_CODES[r.code as ResolutionCode] ?? '') : '';
  return (
    <section className="ld-qa-work" aria-labelledby="qa-work-h">
      <H3 id="qa-work-h" className="ld-section-h">
        {review.operatorName}'s work
      </H3>
      <dl className="ld-fields">
        <div className="ld-field">
          <dt>Resolution</dt>
          <dd>{r ? `${r.code}${code ? ` · ${code}` : ''}` : 'None recorded'}</dd>
        </div>
        <div className="ld-field">
          <dt>Action</dt>
          <dd>{r ? (ACTION_LABELS[r.action as ResolutionAction] ?? r.action) : '—'}</dd>
        </div>
        <div className="ld-field">
          <dt>Amount</dt>
          <dd className="ld-mono">{r?.amount ? formatAmount(r.amount) : '—'}</dd>
        </div>
        <div className="ld-field">
          <dt>Follow-up</dt>
          <dd>{r?.followUpDate ? formatDate(r.followUpDate) : '—'}</dd>
        </div>
        <div className="ld-field">
          <dt>Resolved</dt>
          <dd>{review.resolvedAt ? formatDateTime(review.resolvedAt) : '—'}</dd>
        </div>
        <div className="ld-field">
          <dt>SOP followed</dt>
          <dd>{review.sop ? `${module?.title ?? review.sop.moduleId} v${review.sop.version}` : 'None'}</dd>
        </div>
      </dl>
      <FormGroup label="Operator's note">
        <p className="ld-approval-note">{r?.note || '—'}</p>
      </FormGroup>
      <AnswersView module={module} answers={review.answers} testId="qa-answers" />
    </section>
  );
}
