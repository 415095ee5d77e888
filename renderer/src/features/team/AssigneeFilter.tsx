import { HTMLSelect } from '@blueprintjs/core';
import { useQueueView } from '../queue/queue-state';
import { useTeam } from './team-state';

/** Leads: the queue of one operator (by name), or everyone's. */
export function AssigneeFilter() {
  const assignees = useQueueView((s) => s.assignees);
  const operators = useTeam((s) => s.operators);
  const setAssignees = useQueueView((s) => s.setAssignees);
  return (
    <HTMLSelect
      className="ld-select-sm"
      aria-label="Assignee"
      value={assignees[0] ?? ''}
      onChange={(e) => setAssignees(e.currentTarget.value ? [e.currentTarget.value] : [])}
    >
      <option value="">Everyone&apos;s items</option>
      {(operators ?? []).map((o) => (
        <option key={o.id} value={o.id}>
          Held by {o.displayName}
        </option>
      ))}
    </HTMLSelect>
  );
}
