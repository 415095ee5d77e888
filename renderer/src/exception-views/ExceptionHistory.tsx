import { useEffect, useState } from 'react';
import { H3, HTMLTable, Spinner } from '@blueprintjs/core';
import type { HistoryEntry } from '@shared/api/exceptions';
import { call, describeError } from '../bridge';
import { formatDateTime } from '../lib/format';

type Loaded = { id: string; entries: HistoryEntry[] } | { id: string; error: string };

const ACTION_TEXT: Readonly<Record<string, string>> = {
  'lease.granted': 'Leased (get next)',
  'lease.reassigned': 'Reassigned',
  'lease.released': 'Released to the queue',
  'lease.renewed': 'Lease renewed',
  'exception.skip': 'Skipped',
  'exception.start': 'Started',
  'exception.resolve': 'Resolved',
  'exception.note': 'Note',
};

/** A pushed mutation reads as what the operator did; a refused one says so. */
function describe(e: HistoryEntry): string {
  if (!e.kind) return ACTION_TEXT[e.action] ?? e.action;
  const what = ACTION_TEXT[e.kind] ?? e.kind;
  return e.action === 'mutation.applied' ? what : `${what} (${e.action.replace('mutation.', '')})`;
}

/** Leads: the item's recent history from the server's audit log, skip reasons included. */
export function ExceptionHistory({ id }: { id: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    let cancelled = false;
    call('exception.history', { id, limit: 20 })
      .then(({ entries }) => {
        if (!cancelled) setLoaded({ id, entries });
      })
      .catch((e: unknown) => {
        if (!cancelled) setLoaded({ id, error: describeError(e) });
      });
    return () => {
      cancelled = true;
    };
  }, [id]);
  const current = loaded?.id === id ? loaded : null;

  return (
    <section aria-labelledby="history-h" data-testid="exception-history">
      <H3 id="history-h" className="ld-section-h">
        Recent history
      </H3>
      {!current && <Spinner size={16} aria-label="Loading history" />}
      {current && 'error' in current && (
        <p className="ld-muted ld-small">History needs the server: {current.error}</p>
      )}
      {current && 'entries' in current && current.entries.length === 0 && (
        <p className="ld-muted ld-small">Nothing recorded yet.</p>
      )}
      {current && 'entries' in current && current.entries.length > 0 && (
        <HTMLTable compact className="ld-history" aria-labelledby="history-h">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Reason or note</th>
            </tr>
          </thead>
          <tbody>
            {current.entries.map((e, i) => (
              <tr key={`${e.at}-${i}`}>
                <td className="ld-nowrap">{formatDateTime(e.at)}</td>
                <td>{e.actorName ?? e.actorId ?? 'system'}</td>
                <td>{describe(e)}</td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      )}
    </section>
  );
}
