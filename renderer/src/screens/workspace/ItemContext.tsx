import { useEffect, useState } from 'react';
import { Button, Callout, FormGroup, H3, HTMLTable, Tag, TextArea } from '@blueprintjs/core';
import type { ExceptionSummary } from '../../../../shared/exception';
import { EXCEPTION_TYPE_LABELS } from '../../../../shared/exception-types';
import { STATUS_LABELS } from '../../../../shared/exception-status';
import { call, describeError } from '../../bridge';
import { formatDate } from '../../lib/format';
import { formatAmount, formatAmountFull } from '../../lib/money-format';
import { useNoteDraft } from '../../state/note-drafts';

/** Around the item: other exceptions of the same partner account, and notes for the team. */
export function ItemContext({ exceptionId }: { exceptionId: string }) {
  return (
    <>
      <RelatedExceptions exceptionId={exceptionId} />
      <Notes exceptionId={exceptionId} />
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

function Notes({ exceptionId }: { exceptionId: string }) {
  // What is typed lives outside this component: leaving the item (Esc) keeps it as a draft.
  const [text, setText] = useNoteDraft(exceptionId);
  const [added, setAdded] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async (): Promise<void> => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await call('exception.addNote', { exceptionId, text });
      setAdded((a) => [...a, text.trim()]);
      setText('');
      setError(null);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="notes-h" className="ld-notes">
      <H3 id="notes-h" className="ld-section-h">
        Notes
      </H3>
      {added.length > 0 && (
        <ul className="ld-notes-list">
          {added.map((n, i) => (
            <li key={i}>
              {n} <Tag minimal>queued for sync</Tag>
            </li>
          ))}
        </ul>
      )}
      <FormGroup
        label="Add a note for the team"
        labelFor="note-text"
        helperText={
          text.trim()
            ? 'Not sent yet: kept as a draft if you leave the item. Ctrl+Shift+Enter adds it.'
            : 'Ctrl+Shift+Enter adds it.'
        }
      >
        <TextArea
          id="note-text"
          fill
          rows={2}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.ctrlKey && e.shiftKey) {
              e.preventDefault();
              e.stopPropagation();
              void add();
            }
          }}
        />
      </FormGroup>
      {error && (
        <Callout compact intent="danger" role="alert">
          {error}
        </Callout>
      )}
      <Button size="small" icon="comment" disabled={!text.trim()} loading={busy} onClick={() => void add()}>
        Add note
      </Button>
    </section>
  );
}
