import type { CreateUserRequest, Person } from '@shared/api/people';
import { roleSchema, type Role } from '@shared/roles';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import { hashPassword } from '../../auth/passwords';
import type { Database, Queryable } from '../../db/types';
import { conflict, notFound } from '../../http/api-error';
import { refreshWorkTypes } from '../certification/work-types';
import { revokeAllSessions } from '../auth/refresh-tokens';

interface PersonRow {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  team: string | null;
  deactivated_at: Date | null;
}

const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  roles: r.roles.map((x) => roleSchema.parse(x)),
  team: r.team,
  active: r.deactivated_at === null,
});

const COLUMNS = 'id, username, display_name, roles, team, deactivated_at';

async function lockPerson(tx: Queryable, id: string): Promise<PersonRow> {
  const rows = await tx.query<PersonRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
  if (!rows[0]) throw notFound('no such user');
  return rows[0];
}

export async function createPerson(db: Database, admin: AuthUser, input: CreateUserRequest): Promise<Person> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const rows = await tx.query<PersonRow>(
      `INSERT INTO users (username, display_name, roles, team, password_hash)
       VALUES ($1, $2, $3::text[], $4, $5) ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
      [input.username, input.displayName, [...input.roles], input.team, passwordHash],
    );
    const row = rows[0];
    if (!row) throw conflict(`username: ${input.username} is taken`);
    await appendAudit(tx, [
      {
        actorId: admin.id,
        action: 'user.created',
        entity: 'user',
        entityId: row.id,
        details: { username: input.username, roles: input.roles, team: input.team },
      },
    ]);
    return toPerson(row);
  });
}

/**
 * Sets roles and team. Work types are re-derived (an operator role taken away takes the work
 * with it); an admin cannot take their own admin role away (another admin must).
 */
export async function setAccess(
  db: Database,
  admin: AuthUser,
  id: string,
  input: { roles: readonly Role[]; team: string | null; reason: string },
): Promise<Person> {
  if (id === admin.id && !input.roles.includes('admin')) {
    throw conflict('roles: you cannot remove your own admin role; ask another admin');
  }
  return db.transaction(async (tx) => {
    const before = await lockPerson(tx, id);
    const rows = await tx.query<PersonRow>(
      `UPDATE users SET roles = $2::text[], team = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, [...input.roles], input.team],
    );
    await refreshWorkTypes(tx, { types: null, userIds: [id] });
    await appendAudit(tx, [
      {
        actorId: admin.id,
        action: 'user.access_changed',
        entity: 'user',
        entityId: id,
        details: {
          from: { roles: before.roles, team: before.team },
          to: { roles: input.roles, team: input.team },
          reason: input.reason,
        },
      },
    ]);
    return toPerson(rows[0] as PersonRow);
  });
}

/** A new password; every session the user holds ends (they sign in again with it). */
export async function resetPassword(
  db: Database,
  admin: AuthUser,
  id: string,
  password: string,
): Promise<Person> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await lockPerson(tx, id);
    const rows = await tx.query<PersonRow>(
      `UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, passwordHash],
    );
    await revokeAllSessions(tx, id);
    await appendAudit(tx, [
      { actorId: admin.id, action: 'user.password_reset', entity: 'user', entityId: id, details: {} },
    ]);
    return toPerson(rows[0] as PersonRow);
  });
}
