import { roleSchema, type Role, type User } from '@shared/roles';
import type { Queryable } from '../../db/types';

export interface UserRow extends User {
  passwordHash: string;
  /** False once deactivated: no sign-in, no refresh, no use of tokens already issued. */
  active: boolean;
}

interface RawUser {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  password_hash: string;
  active: boolean;
}

const COLUMNS = 'id, username, display_name, roles, password_hash, deactivated_at IS NULL AS active';

function toUser(row: RawUser): UserRow {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles.map((r): Role => roleSchema.parse(r)),
    passwordHash: row.password_hash,
    active: row.active,
  };
}

export async function findUserByUsername(db: Queryable, username: string): Promise<UserRow | null> {
  const rows = await db.query<RawUser>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const rows = await db.query<RawUser>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export interface NewUser {
  id?: string;
  username: string;
  displayName: string;
  roles: readonly Role[];
  passwordHash: string;
}

export async function insertUser(db: Queryable, user: NewUser): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO users (id, username, display_name, roles, password_hash)
     VALUES (COALESCE($1, gen_random_uuid()::text), $2, $3, $4::text[], $5) RETURNING id`,
    [user.id ?? null, user.username, user.displayName, [...user.roles], user.passwordHash],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('insert into users returned no id');
  return id;
}

export function publicUser(user: UserRow): User {
  return { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles };
}
