import { HTMLTable, Tag } from '@blueprintjs/core';
import type { ReviewDetail } from '@shared/api/qa-reviews';
import { OUTCOME_LABELS } from './qa-words';

/**
 * A scored rubric as everyone reads it (reviewer, operator, lead): each check, its outcome and
 * the reviewer's comment. `only` narrows it (the operator's findings: the failed checks).
 */
export function RubricResults({
  rubric,
  only,
  label,
}: {
  rubric: ReviewDetail['rubric'];
  only?: (item: ReviewDetail['rubric'][number]) => boolean;
  label: string;
}) {
  const rows = only ? rubric.filter(only) : rubric;
  return (
    <HTMLTable compact className="ld-qa-results" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Outcome</th>
          <th scope="col">Reviewer's comment</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-check-id={r.id}>
            <td>
              {r.text}{' '}
              {r.critical && (
                <Tag intent="danger" minimal>
                  Critical
                </Tag>
              )}
            </td>
            <td>
              <Tag
                minimal
                intent={r.outcome === 'fail' ? 'danger' : r.outcome === 'pass' ? 'success' : 'none'}
              >
                {r.outcome ? OUTCOME_LABELS[r.outcome] : 'Not scored'}
              </Tag>
            </td>
            <td>{r.comment || '—'}</td>
          </tr>
        ))}
      </tbody>
    </HTMLTable>
  );
}
