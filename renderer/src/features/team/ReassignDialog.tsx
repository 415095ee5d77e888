import { useMemo, useState } from 'react';
import { Button, Callout, Dialog, DialogBody, DialogFooter, FormGroup, HTMLSelect } from '@blueprintjs/core';
import type { TeamMember } from '@shared/api/users';
import type { ExceptionSummary } from '@shared/exception';
import { EXCEPTION_TYPE_LABELS, type ExceptionType } from '@shared/exception-types';
import { call } from '../../bridge';
import { ReasonField } from './ReasonField';
import { useTeamAction } from './useTeamAction';
import type { TeamOutcome } from './team-outcome';
import { NO_TRANSITION } from '../../lib/overlay';

interface Props {
  isOpen: boolean;
  items: readonly ExceptionSummary[];
  operators: readonly TeamMember[] | null;
  operatorsError: string | null;
  onClose(): void;
  /** After it has closed, whichever way: TeamActions puts focus back (the opener may be gone). */
  onClosed(): void;
  onDone(outcome: TeamOutcome): void;
}

/** The selected items each operator may not work (the server would refuse those). */
function blockedFor(operator: TeamMember, items: readonly ExceptionSummary[]): ExceptionSummary[] {
  return items.filter((i) => !operator.workTypes.includes(i.type));
}

function typesOf(items: readonly ExceptionSummary[]): string {
  return [...new Set<ExceptionType>(items.map((i) => i.type))]
    .map((t) => EXCEPTION_TYPE_LABELS[t])
    .join(', ');
}

function optionLabel(operator: TeamMember, items: readonly ExceptionSummary[]): string {
  const blocked = blockedFor(operator, items);
  const who = `${operator.displayName} (${operator.username})`;
  if (blocked.length === 0) return who;
  if (blocked.length === items.length) return `${who}: may work none of them`;
  return `${who}: may not work ${blocked.length} of ${items.length} (${typesOf(blocked)})`;
}

/** Hand the selected items to one operator; items outside their types are refused one by one. */
export function ReassignDialog({
  isOpen,
  items,
  operators,
  operatorsError,
  onClose,
  onClosed,
  onDone,
}: Props) {
  const [toUserId, setToUserId] = useState('');
  const { reason, setReason, busy, error, reasonGiven, reset, run } = useTeamAction();

  // Until the lead picks, suggest the first operator allowed every selected item.
  const suggested = useMemo(
    () => (operators ?? []).find((o) => blockedFor(o, items).length === 0)?.id ?? operators?.[0]?.id ?? '',
    [operators, items],
  );
  const chosenId = toUserId || suggested;
  const chosen = operators?.find((o) => o.id === chosenId) ?? null;
  const blocked = chosen ? blockedFor(chosen, items) : [];
  const canSubmit = !!chosen && reasonGiven && !busy;

  const submit = async (): Promise<void> => {
    if (!canSubmit || !chosen) return;
    await run(async (why) => {
      const { results } = await call('team.reassign', {
        exceptionIds: items.map((i) => i.id),
        toUserId: chosen.id,
        reason: why,
      });
      onDone({ done: `reassigned to ${chosen.displayName}`, results });
    });
  };

  return (
    <Dialog
      {...NO_TRANSITION}
      isOpen={isOpen}
      onClose={onClose}
      shouldReturnFocusOnClose={false}
      onClosed={onClosed}
      title={`Reassign ${items.length} ${items.length === 1 ? 'item' : 'items'}`}
      icon="people"
      onOpening={() => {
        setToUserId('');
        reset();
      }}
      className="ld-team-dialog"
    >
      <DialogBody>
        {operatorsError && (
          <Callout intent="danger" compact role="alert" className="ld-dialog-callout">
            Could not read the operators: {operatorsError}
          </Callout>
        )}
        <FormGroup label="Operator" labelFor="reassign-operator" helperText={`Selected: ${typesOf(items)}`}>
          <HTMLSelect
            id="reassign-operator"
            fill
            autoFocus
            value={chosenId}
            disabled={!operators || operators.length === 0}
            onChange={(e) => setToUserId(e.currentTarget.value)}
          >
            {!operators && <option value="">Loading operators…</option>}
            {operators?.map((o) => (
              <option key={o.id} value={o.id}>
                {optionLabel(o, items)}
              </option>
            ))}
          </HTMLSelect>
        </FormGroup>
        {chosen && blocked.length > 0 && (
          <Callout intent="warning" compact className="ld-dialog-callout" data-testid="reassign-blocked">
            {chosen.displayName} may not work {blocked.length === items.length ? 'any' : blocked.length} of
            the selected items; the server will refuse {blocked.length === 1 ? 'it' : 'them'}:
            <ul className="ld-team-failures">
              {blocked.slice(0, 8).map((i) => (
                <li key={i.id}>
                  <span className="ld-mono">{i.id}</span> · {EXCEPTION_TYPE_LABELS[i.type]}
                </li>
              ))}
              {blocked.length > 8 && <li>and {blocked.length - 8} more</li>}
            </ul>
          </Callout>
        )}
        <ReasonField
          id="reassign-reason"
          value={reason}
          onChange={setReason}
          onSubmit={() => void submit()}
        />
        {error && (
          <Callout intent="danger" compact role="alert">
            {error}
          </Callout>
        )}
      </DialogBody>
      <DialogFooter
        actions={
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button intent="primary" disabled={!canSubmit} loading={busy} onClick={() => void submit()}>
              Reassign
            </Button>
          </>
        }
      />
    </Dialog>
  );
}
