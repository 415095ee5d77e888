import { Callout } from '@blueprintjs/core';
import type { Returned } from '@shared/api/work';
import { formatDateTime } from '../../lib/format';

/**
 * A lead rejected this operator's resolution and sent the item back: their reason is the first
 * thing to read before answering the checklist again, so it sits above it. role=status so a
 * screen reader announces it as the item opens; the warning intent keeps Blueprint's contrast
 * in both themes. The lead is named as get-next named them (an operator may not list users);
 * an older server sent only the user id, shown then.
 */
export function ReturnedCallout({ returned }: { returned: Returned }) {
  return (
    <Callout
      intent="warning"
      icon="undo"
      compact
      role="status"
      className="ld-returned"
      data-testid="returned-callout"
    >
      <strong>
        Returned by {returned.byName ?? returned.by} on {formatDateTime(returned.at)}:
      </strong>{' '}
      <span className="ld-returned-reason">{returned.reason}</span>
    </Callout>
  );
}
