import { Callout } from '@blueprintjs/core';

/**
 * What stops a QA form from being sent (said up front, not only when refused), or the server's
 * refusal once sent (an alert).
 */
export function FormProblem({ problem, error }: { problem: string | null; error: string | null }) {
  if (!problem && !error) return null;
  return (
    <Callout compact intent={error ? 'danger' : 'primary'} role={error ? 'alert' : undefined}>
      {error ?? problem}
    </Callout>
  );
}
