import { useEffect, useState } from 'react';
import { Callout, H3, HTMLTable } from '@blueprintjs/core';
import type { ExceptionSummary } from '@shared/exception';
import { EXCEPTION_TYPE_LABELS } from '@shared/exception-types';
import { STATUS_LABELS } from '@shared/exception-status';
import { call, describeError } from '../../bridge';
import { formatDate } from '../../lib/format';
import { NotesThread } from '../../exception-views/NotesThread';
import { formatAmount, formatAmountFull } from '../../lib/money-format';

/** Around the item: other exceptions of the same partner account, and notes for the team. */
export function ItemContext({ exceptionId }: { exceptionId: string }) {
  return (
    <>
      <RelatedExceptions exceptionId={exceptionId} />
      <NotesThread key={exceptionId} exceptionId={exceptionId} canAdd idPrefix="note" />
    </>
  );
}

function RelatedExceptions({ exceptionId }: { exceptionId: string }) {
  const [rows, setRows] = useState<ExceptionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    call('exception.related', { exceptionId })
      .then((r) => !cancelled && setRows(r.rows))
      .catch((e: unknown) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [exceptionId]);

  return (
    <section aria-labelledby="related-h" className="ld-related">
      <H3 id="related-h" className="ld-section-h">
        Related exceptions{' '}
        <span className="ld-muted ld-small">same partner account · {rows?.length ?? '…'}</span>
      </H3>
      {error && (
        <Callout compact intent="warning">
          {error}
        </Callout>
      )}
      {rows && rows.length === 0 && (
        <p className="ld-muted ld-small">No other exception of this account on this computer.</p>
      )}
      {rows && rows.length > 0 && (
        <HTMLTable compact className="ld-related-table" aria-label="Related exceptions">
          <thead>
            <tr>
              <th scope="col">ID</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col" className="ld-num">
                Variance
              </th>
              <th scope="col">Period</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="ld-mono">{r.id}</td>
                <td>{EXCEPTION_TYPE_LABELS[r.type]}</td>
                <td>{STATUS_LABELS[r.status]}</td>
                <td className="ld-mono ld-num" title={formatAmountFull(r.variance)}>
                  {formatAmount(r.variance)}
                </td>
                <td>{formatDate(r.periodStart)}</td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      )}
    </section>
  );
}
