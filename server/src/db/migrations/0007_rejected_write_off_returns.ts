export const name = 'rejected_write_off_returns';

/**
 * A write-off a lead rejects goes back to the operator who resolved it, not to the open queue:
 * the item is `open` again but reserved for them (`assignee_id` set, no lease) until their next
 * get-next takes it, and it carries the lead's reason there. `deactivated_at` marks an operator
 * who no longer works here (IF NOT EXISTS: the sessions work may add the same column); a
 * rejection for a deactivated operator goes to the open queue instead.
 */
export const sql = `
ALTER TABLE exceptions ADD COLUMN returned_reason text;
ALTER TABLE exceptions ADD COLUMN returned_by text REFERENCES users(id);
ALTER TABLE exceptions ADD COLUMN returned_at timestamptz;
ALTER TABLE users ADD COLUMN IF NOT EXISTS deactivated_at timestamptz;
-- get-next's first branch: the few items waiting for their operator (exceptions_assignee would
-- walk every lease the operator holds to find them).
CREATE INDEX exceptions_returned ON exceptions (assignee_id, sla_due_at)
  WHERE status = 'open' AND assignee_id IS NOT NULL;
`;
