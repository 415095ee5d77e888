import { Button, Callout } from '@blueprintjs/core';
import { useState } from 'react';
import { attachmentRefsOf } from '@shared/evidence/refs';
import type { Answers } from '@shared/sop/module';
import { describeError } from '../bridge';
import { formatBytes, saveEvidence } from '../lib/evidence-file';

/** The files a result's checklist names, each downloadable (leads and QA review them here). */
export function EvidenceFiles({ answers }: { answers: Answers }) {
  const [error, setError] = useState<string | null>(null);
  const files = attachmentRefsOf(answers);
  if (files.length === 0) return <p className="ld-muted ld-small">No files attached.</p>;
  return (
    <>
      <ul className="ld-sop-files" aria-label="Evidence files">
        {files.map((f) => (
          <li key={f.id} className="ld-small">
            {f.name} <span className="ld-muted">({formatBytes(f.size)})</span>
            {f.sha256 ? (
              <Button
                minimal
                small
                icon="download"
                aria-label={`Download ${f.name}`}
                onClick={() => {
                  setError(null);
                  saveEvidence(f).catch((e: unknown) => setError(describeError(e)));
                }}
              />
            ) : (
              <span className="ld-muted"> (name only, no file)</span>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <Callout compact intent="danger" role="alert">
          {error}
        </Callout>
      )}
    </>
  );
}
