import type { TeamMember } from '@shared/api/users';
import { exceptionTypeSchema } from '@shared/exception-types';
import { roleSchema, type Role } from '@shared/roles';
import type { AuthUser } from '../../auth/auth-user';
import type { Queryable } from '../../db/types';

interface RawMember {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  work_types: string[];
  team: string | null;
}

/**
 * Users (optionally those holding `role`) with the types each may be allocated, by display name.
 * A lead (who is not an admin) with a team sees that team only; without a team, everyone.
 */
export async function listTeam(
  db: Queryable,
  role: Role | undefined,
  viewer: AuthUser,
): Promise<TeamMember[]> {
  const teamOnly = viewer.roles.includes('lead') && !viewer.roles.includes('admin');
  const rows = await db.query<RawMember>(
    `SELECT u.id, u.username, u.display_name, u.roles, u.team,
            COALESCE(array_agg(w.type ORDER BY w.type) FILTER (WHERE w.type IS NOT NULL), '{}') AS work_types
       FROM users u LEFT JOIN user_work_types w ON w.user_id = u.id
      WHERE ($1::text IS NULL OR $1::text = ANY(u.roles))
        AND (NOT $2::boolean OR (SELECT team FROM users WHERE id = $3) IS NULL
             OR u.team = (SELECT team FROM users WHERE id = $3))
      GROUP BY u.id
      ORDER BY u.display_name, u.id`,
    [role ?? null, teamOnly, viewer.id],
  );
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles.map((x) => roleSchema.parse(x)),
    workTypes: r.work_types.map((t) => exceptionTypeSchema.parse(t)),
    team: r.team,
  }));
}
