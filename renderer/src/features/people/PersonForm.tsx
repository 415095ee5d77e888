import { useState } from 'react';
import { Button, Callout, FormGroup, H2, InputGroup } from '@blueprintjs/core';
import type { Person } from '@shared/api/people';
import type { Role } from '@shared/roles';
import { call, describeError, isBridgeCallError } from '../../bridge';
import { RoleChecks } from './RoleChecks';

/** A new user: the server checks every field and names the one it refuses. */
export function PersonForm({ onCreated }: { onCreated(person: Person): void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<Role[]>(['operator']);
  const [team, setTeam] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field: (f: string) => string | undefined } | null>(
    null,
  );

  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const { user } = await call('people.create', {
        username: username.trim(),
        displayName,
        roles,
        team: team.trim() || null,
        password,
      });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setTeam('');
      onCreated(user);
    } catch (e) {
      setError({
        message: describeError(e),
        field: (f) => (isBridgeCallError(e) ? e.issueFor(f) : undefined),
      });
    } finally {
      setBusy(false);
    }
  };
  const field = (f: string): string | undefined => error?.field(f);
  const intent = (f: string) => (field(f) ? 'danger' : 'none');

  return (
    <form
      aria-labelledby="person-new-h"
      className="ld-person-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <H2 id="person-new-h" className="ld-section-h">
        New user
      </H2>
      <FormGroup
        label="User name"
        labelFor="person-username"
        helperText={field('username')}
        intent={intent('username')}
      >
        <InputGroup
          id="person-username"
          value={username}
          onValueChange={setUsername}
          intent={intent('username')}
        />
      </FormGroup>
      <FormGroup
        label="Display name"
        labelFor="person-display"
        helperText={field('displayName')}
        intent={intent('displayName')}
      >
        <InputGroup id="person-display" value={displayName} onValueChange={setDisplayName} />
      </FormGroup>
      <RoleChecks id="person-role" roles={roles} onChange={setRoles} problem={field('roles')} />
      <FormGroup
        label="Team (optional)"
        labelFor="person-team"
        helperText={field('team')}
        intent={intent('team')}
      >
        <InputGroup id="person-team" value={team} onValueChange={setTeam} />
      </FormGroup>
      <FormGroup
        label="First password"
        labelFor="person-password"
        helperText={field('password') ?? 'At least 12 characters; hand it over in person.'}
        intent={intent('password')}
      >
        <InputGroup
          id="person-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onValueChange={setPassword}
        />
      </FormGroup>
      {error && (
        <Callout compact intent="danger" role="alert">
          {error.message}
        </Callout>
      )}
      <Button type="submit" intent="primary" icon="new-person" loading={busy}>
        Create user
      </Button>
    </form>
  );
}
