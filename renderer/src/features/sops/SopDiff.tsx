import { useEffect, useState } from 'react';
import { Callout, H2, H3, HTMLTable, NonIdealState, Spinner } from '@blueprintjs/core';
import type { z } from 'zod';
import type { sopDiffResponseSchema } from '@shared/api/sop-library';
import { call, describeError } from '../../bridge';

type Diff = z.infer<typeof sopDiffResponseSchema>;
const SECTIONS = [
  ['steps', 'Steps'],
  ['fields', 'Fields'],
  ['conditions', 'Conditions'],
  ['codes', 'Resolution codes'],
  ['thresholds', 'Approval thresholds'],
  ['passMark', 'Pass mark'],
] as const;

const shown = (v: unknown): string => (v === undefined || v === null ? '—' : JSON.stringify(v, null, 1));

/** Two versions side by side, section by section; unchanged rows are counted, not listed. */
export function SopDiff({ moduleId, from, to }: { moduleId: string; from: string; to: string }) {
  const [diff, setDiff] = useState<Diff | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('sops.diff', { module: moduleId, from, to })
      .then((d) => live && setDiff(d))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [moduleId, from, to]);
  if (error) {
    return (
      <Callout intent="warning" role="alert">
        {error}
      </Callout>
    );
  }
  if (!diff) return <NonIdealState icon={<Spinner size={24} aria-label="Comparing the versions" />} />;
  return (
    <section aria-labelledby="sop-diff-h" data-testid="sop-diff">
      <H2 id="sop-diff-h" className="ld-section-h">
        {moduleId}: v{from} → v{to}
      </H2>
      {SECTIONS.map(([key, label]) => {
        const rows = diff[key].filter((r) => r.change !== 'same');
        const same = diff[key].length - rows.length;
        return (
          <div key={key}>
            <H3 className="ld-small">
              {label}: {rows.length === 0 ? 'no change' : `${rows.length} changed`}
              {same > 0 && rows.length > 0 ? `, ${same} the same` : ''}
            </H3>
            {rows.length > 0 && (
              <HTMLTable compact className="ld-sop-diff" aria-label={`${label} changed`}>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Change</th>
                    <th scope="col">v{from}</th>
                    <th scope="col">v{to}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}>
                      <td className="ld-mono">{r.key}</td>
                      <td>{r.change}</td>
                      <td className="ld-mono ld-pre">{shown(r.from)}</td>
                      <td className="ld-mono ld-pre">{shown(r.to)}</td>
                    </tr>
                  ))}
                </tbody>
              </HTMLTable>
            )}
          </div>
        );
      })}
    </section>
  );
}
