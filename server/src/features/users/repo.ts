import type { TeamMember } from '@shared/api/users';
import { exceptionTypeSchema } from '@shared/exception-types';
import { roleSchema, type Role } from '@shared/roles';
import type { Queryable } from '../../db/types';

interface RawMember {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  work_types: string[];
}

/** Users (optionally those holding `role`) with the types each may be allocated, by display name. */
export async function listTeam(db: Queryable, role: Role | undefined): Promise<TeamMember[]> {
  const rows = await db.query<RawMember>(
    `SELECT u.id, u.username, u.display_name, u.roles,
            COALESCE(array_agg(w.type ORDER BY w.type) FILTER (WHERE w.type IS NOT NULL), '{}') AS work_types
       FROM users u LEFT JOIN user_work_types w ON w.user_id = u.id
      WHERE $1::text IS NULL OR $1::text = ANY(u.roles)
      GROUP BY u.id
      ORDER BY u.display_name, u.id`,
    [role ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles.map((x) => roleSchema.parse(x)),
    workTypes: r.work_types.map((t) => exceptionTypeSchema.parse(t)),
  }));
}
