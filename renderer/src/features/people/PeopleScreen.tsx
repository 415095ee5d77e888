import { useCallback, useEffect, useState } from 'react';
import { Button, Callout, H2, HTMLTable, NonIdealState, Spinner } from '@blueprintjs/core';
import type { TeamMember } from '@shared/api/users';
import { call, describeError } from '../../bridge';
import { SelectableRow } from '../../components/SelectableRow';
import { PersonForm } from './PersonForm';
import { PersonActions } from './PersonActions';

/**
 * Admins' people screen: who may use the app, with which roles and in which team; a new user,
 * a password reset, a deactivation. Every change is decided and audited on the server.
 */
export function PeopleScreen() {
  const [users, setUsers] = useState<TeamMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deactivated, setDeactivated] = useState<ReadonlySet<string>>(new Set());

  const load = useCallback(() => {
    call('people.list', {})
      .then((r) => {
        setUsers(r.users);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, []);
  useEffect(load, [load]);
  const done = (message: string): void => {
    setNotice(message);
    load();
  };
  const current = users?.find((u) => u.id === selected) ?? null;

  return (
    <section className="ld-approvals" aria-label="People">
      <div className="ld-approvals-list">
        <div className="ld-approvals-head">
          <H2 className="ld-section-h">Users</H2>
          <Button size="small" variant="minimal" icon="refresh" aria-label="Refresh users" onClick={load} />
        </div>
        <div role="status" data-testid="people-notice">
          {notice && (
            <Callout compact intent="success" icon="tick">
              {notice}
            </Callout>
          )}
        </div>
        {error && (
          <Callout intent="warning" role="alert">
            {error}
          </Callout>
        )}
        {!users && !error && <NonIdealState icon={<Spinner size={24} aria-label="Loading users" />} />}
        {users && (
          <HTMLTable compact interactive className="ld-approvals-table" aria-label="Users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">User name</th>
                <th scope="col">Roles</th>
                <th scope="col">Team</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <SelectableRow key={u.id} selected={u.id === selected} onSelect={() => setSelected(u.id)}>
                  <td>
                    {u.displayName}
                    {deactivated.has(u.id) && <span className="ld-muted"> (deactivated)</span>}
                  </td>
                  <td className="ld-mono">{u.username}</td>
                  <td>{u.roles.join(', ')}</td>
                  <td>{u.team ?? '—'}</td>
                </SelectableRow>
              ))}
            </tbody>
          </HTMLTable>
        )}
      </div>
      <div className="ld-approvals-detail">
        {current ? (
          <PersonActions
            key={current.id}
            person={current}
            onDone={(message, gone) => {
              if (gone) setDeactivated((d) => new Set([...d, current.id]));
              done(message);
            }}
          />
        ) : (
          <p className="ld-muted">Choose a user in the list (Tab, then Enter) to change their access.</p>
        )}
        <PersonForm onCreated={(p) => (setSelected(p.id), done(`Created ${p.username}.`))} />
      </div>
    </section>
  );
}
