import { Button, Callout } from '@blueprintjs/core';
import type { TeamOutcome } from './team-outcome';

/** Per-item outcome of a bulk action: how many were done, and each refusal with its reason. */
export function TeamOutcomeCallout({ outcome, onDismiss }: { outcome: TeamOutcome; onDismiss(): void }) {
  const done = outcome.results.filter((r) => r.ok).length;
  const failed = outcome.results.filter((r) => !r.ok);
  const title = `${done} ${outcome.done}${failed.length ? `, ${failed.length} not done` : ''}`;
  return (
    <Callout
      compact
      intent={failed.length === 0 ? 'success' : done === 0 ? 'danger' : 'warning'}
      className="ld-team-outcome"
      data-testid="team-outcome"
      role="status"
    >
      <div className="ld-team-outcome-head">
        <strong>{title}</strong>
        <Button size="small" variant="minimal" icon="cross" aria-label="Dismiss" onClick={onDismiss} />
      </div>
      {failed.length > 0 && (
        <ul className="ld-team-failures">
          {failed.map((r) => (
            <li key={r.exceptionId}>
              <span className="ld-mono">{r.exceptionId}</span>: {r.message}
            </li>
          ))}
        </ul>
      )}
    </Callout>
  );
}
