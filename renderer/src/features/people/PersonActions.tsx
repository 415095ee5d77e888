import { useState } from 'react';
import { Alert, Button, Callout, FormGroup, H2, InputGroup } from '@blueprintjs/core';
import type { TeamMember } from '@shared/api/users';
import type { Role } from '@shared/roles';
import { call, describeError } from '../../bridge';
import { NO_TRANSITION } from '../../lib/overlay';
import { RoleChecks } from './RoleChecks';

/** One user's access: roles and team (with a reason), a new password, deactivation. */
export function PersonActions({
  person,
  onDone,
}: {
  person: TeamMember;
  onDone(message: string, gone?: boolean): void;
}) {
  const [roles, setRoles] = useState<Role[]>(person.roles);
  const [team, setTeam] = useState(person.team ?? '');
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const run = async (what: () => Promise<unknown>, message: string, gone = false): Promise<void> => {
    setError(null);
    try {
      await what();
      onDone(message, gone);
    } catch (e) {
      setError(describeError(e));
    }
  };
  const id = person.id;
  return (
    <section aria-labelledby="person-h" className="ld-person">
      <H2 id="person-h" className="ld-section-h">
        {person.displayName} <span className="ld-mono ld-muted">{person.username}</span>
      </H2>
      <RoleChecks id="person-edit-role" roles={roles} onChange={setRoles} />
      <FormGroup label="Team" labelFor="person-edit-team">
        <InputGroup id="person-edit-team" value={team} onValueChange={setTeam} />
      </FormGroup>
      <FormGroup label="Reason (for the audit trail)" labelFor="person-edit-reason">
        <InputGroup id="person-edit-reason" value={reason} onValueChange={setReason} />
      </FormGroup>
      <div className="ld-sop-actions">
        <Button
          icon="floppy-disk"
          disabled={!reason.trim()}
          onClick={() =>
            void run(
              () => call('people.setAccess', { id, roles, team: team.trim() || null, reason }),
              `Saved ${person.username}'s roles and team.`,
            )
          }
        >
          Save access
        </Button>
        <Button icon="disable" intent="danger" disabled={!reason.trim()} onClick={() => setConfirming(true)}>
          Deactivate…
        </Button>
      </div>
      <FormGroup
        label="New password"
        labelFor="person-edit-password"
        helperText="At least 12 characters; their sessions end at once."
      >
        <InputGroup
          id="person-edit-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onValueChange={setPassword}
        />
      </FormGroup>
      <Button
        icon="key"
        disabled={password.length < 12}
        onClick={() =>
          void run(
            () => call('people.resetPassword', { id, password }),
            `Reset ${person.username}'s password.`,
          )
        }
      >
        Reset password
      </Button>
      {error && (
        <Callout compact intent="danger" role="alert">
          {error}
        </Callout>
      )}
      <Alert
        {...NO_TRANSITION}
        isOpen={confirming}
        intent="danger"
        icon="disable"
        confirmButtonText="Deactivate"
        cancelButtonText="Keep"
        canEscapeKeyCancel
        onOpened={(el) => el.querySelector<HTMLElement>('.bp6-alert-footer .bp6-button')?.focus()}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void run(
            () => call('people.deactivate', { id, reason }),
            `Deactivated ${person.username}: their sessions ended and their items went back to the queue.`,
            true,
          );
        }}
      >
        <p>
          Deactivate {person.displayName}? They are signed out everywhere at once and their items go back to
          the queue. Reason: {reason}
        </p>
      </Alert>
    </section>
  );
}
