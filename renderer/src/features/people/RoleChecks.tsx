import { Checkbox, FormGroup } from '@blueprintjs/core';
import { ROLES, type Role } from '@shared/roles';

export function RoleChecks({
  id,
  roles,
  onChange,
  problem,
}: {
  id: string;
  roles: readonly Role[];
  onChange(roles: Role[]): void;
  problem?: string | undefined;
}) {
  return (
    <FormGroup
      label="Roles"
      labelFor={`${id}-${ROLES[0]}`}
      helperText={problem}
      intent={problem ? 'danger' : 'none'}
    >
      <div role="group" aria-label="Roles" className="ld-sop-actions">
        {ROLES.map((r) => (
          <Checkbox
            key={r}
            id={`${id}-${r}`}
            inline
            label={r}
            checked={roles.includes(r)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />
        ))}
      </div>
    </FormGroup>
  );
}
