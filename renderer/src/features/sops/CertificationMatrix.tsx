import { useEffect, useState } from 'react';
import { Callout, H2, HTMLTable, NonIdealState, Spinner } from '@blueprintjs/core';
import type { CertificationMatrix as Matrix } from '@shared/api/sop-library';
import { call, describeError } from '../../bridge';
import { formatDateTime } from '../../lib/format';

const STATUS_WORDS = { certified: 'Certified', due: 'Due', none: '—' } as const;

/** Operator × module: certified on the current major version, due (an older major only), or never. */
export function CertificationMatrix({ matrix }: { matrix: Matrix | null }) {
  if (!matrix) return <NonIdealState icon={<Spinner size={24} aria-label="Loading certifications" />} />;
  const due = matrix.operators.filter((o) => o.cells.some((c) => c.status === 'due'));
  return (
    <section aria-labelledby="cert-h" className="ld-cert" data-testid="cert-matrix">
      <H2 id="cert-h" className="ld-section-h">
        Certification
      </H2>
      <p className="ld-small">
        {due.length === 0
          ? 'Nobody is due for re-certification.'
          : `Due for re-certification: ${due.map((o) => o.displayName).join(', ')}.`}
      </p>
      <div className="ld-cert-scroll" role="region" aria-label="Certification matrix" tabIndex={0}>
        <HTMLTable compact bordered className="ld-cert-table">
          <thead>
            <tr>
              <th scope="col">Operator</th>
              <th scope="col">Team</th>
              {matrix.modules.map((m) => (
                <th scope="col" key={m.id} title={`${m.title} v${m.version}`}>
                  {m.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.operators.map((o) => (
              <tr key={o.id}>
                <th scope="row">{o.displayName}</th>
                <td>{o.team ?? '—'}</td>
                {o.cells.map((c) => (
                  <td
                    key={c.moduleId}
                    className={`ld-cert-${c.status}`}
                    title={
                      c.certifiedAt
                        ? `v${c.major ?? '?'}.x, ${c.scorePercent ?? '?'}% on ${formatDateTime(c.certifiedAt)}`
                        : undefined
                    }
                  >
                    {STATUS_WORDS[c.status]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </HTMLTable>
      </div>
    </section>
  );
}

/** Loads the matrix (leads and trainers; online only). */
export function useCertificationMatrix(): { matrix: Matrix | null; error: string | null; reload(): void } {
  const [matrix, setMatrix] = useState<Matrix | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    call('sops.matrix', {})
      .then((m) => live && (setMatrix(m), setError(null)))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [tick]);
  return { matrix, error, reload: () => setTick((t) => t + 1) };
}

export function MatrixError({ error }: { error: string }) {
  return (
    <Callout intent="warning" role="alert">
      {error}
    </Callout>
  );
}
