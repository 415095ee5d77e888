import { useEffect, useMemo, useState } from 'react';
import { Button, Callout, H3, Spinner } from '@blueprintjs/core';
import { CalloutTitle } from '../components/CalloutTitle';
import type { Evidence } from '@shared/exception';
import { describeError } from '../bridge/errors';
import { EVIDENCE_SOURCE_LABELS } from '../lib/labels';
import { EvidenceGrid } from './EvidenceGrid';
import { fetchEvidence } from './evidence-fetch';

type Loaded =
  { state: 'loading' } | { state: 'ready'; rows: Evidence[] } | { state: 'error'; message: string };

/**
 * The rows behind an exception, one grid per source. `evidence` null: not on this computer, so
 * it is fetched (the rest of the record is already on screen meanwhile).
 */
export function EvidenceSection({
  exceptionId,
  evidence,
  currency,
}: {
  exceptionId: string;
  evidence: Evidence[] | null;
  /** The exception's currency: what a partner row's amounts are in when the row names none. */
  currency: string;
}) {
  const [attempt, setAttempt] = useState(0);
  // What arrived, for which item and attempt: anything else is still loading.
  const key = `${exceptionId}#${attempt}`;
  const [arrived, setArrived] = useState<{ key: string; loaded: Loaded } | null>(null);
  useEffect(() => {
    if (evidence !== null) return;
    let live = true;
    fetchEvidence(exceptionId).then(
      (rows) => live && setArrived({ key, loaded: { state: 'ready', rows } }),
      (e: unknown) => live && setArrived({ key, loaded: { state: 'error', message: describeError(e) } }),
    );
    return () => {
      live = false;
    };
  }, [exceptionId, evidence, key]);
  const fetched: Loaded = arrived?.key === key ? arrived.loaded : { state: 'loading' };
  const rows = evidence ?? (fetched.state === 'ready' ? fetched.rows : null);

  const groups = useMemo(() => {
    const m = new Map<Evidence['source'], Evidence[]>();
    for (const e of rows ?? []) {
      const list = m.get(e.source) ?? [];
      list.push(e);
      m.set(e.source, list);
    }
    return [...m.entries()];
  }, [rows]);
  // The evidence grids (one AG Grid per source) cost more to build than the rest of the record:
  // paint the header, amounts and keys first, then the grids on the next frame.
  const [gridsShown, setGridsShown] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setGridsShown(true));
    return () => cancelAnimationFrame(frame);
  }, []);

  let body;
  if (rows === null && fetched.state === 'error') {
    body = (
      <Callout compact intent="warning">
        <CalloutTitle>Evidence not available</CalloutTitle>
        <p>{fetched.message}</p>
        <Button small onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </Button>
      </Callout>
    );
  } else if (rows === null) {
    body = (
      <div className="ld-evidence-loading" role="status">
        <Spinner size={16} /> Loading evidence from the server…
      </div>
    );
  } else if (groups.length === 0) {
    body = <Callout compact>No evidence rows are attached to this exception.</Callout>;
  } else {
    body = groups.map(([source, list]) => (
      <div key={source} className="ld-evidence-group">
        <div className="ld-evidence-head">
          {EVIDENCE_SOURCE_LABELS[source]} <span className="ld-muted ld-small">· {list.length}</span>
        </div>
        {gridsShown ? (
          <EvidenceGrid rows={list} label={EVIDENCE_SOURCE_LABELS[source]} currency={currency} />
        ) : (
          <div className="ld-evidence-placeholder" aria-hidden="true" />
        )}
      </div>
    ));
  }

  return (
    <section aria-labelledby="evidence-h">
      <H3 id="evidence-h" className="ld-section-h">
        Evidence{' '}
        {rows !== null && (
          <span className="ld-muted ld-small">
            {rows.length} {rows.length === 1 ? 'row' : 'rows'}
          </span>
        )}
      </H3>
      {body}
    </section>
  );
}
