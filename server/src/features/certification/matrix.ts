import type { CertificationMatrix } from '@shared/api/sop-library';
import type { AuthUser } from '../../auth/auth-user';
import type { Queryable } from '../../db/types';
import { CURRENT_MODULES_SQL } from './work-types';

/**
 * Operator x module: certified on the current major, due (certified only on an older major), or
 * none. A lead with a team sees that team's operators; trainers, admins and team-less leads all.
 */
export async function certificationMatrix(q: Queryable, viewer: AuthUser): Promise<CertificationMatrix> {
  const modules = await q.query<{ id: string; title: string; version: string; major: number }>(
    `SELECT id, title, version, major FROM (${CURRENT_MODULES_SQL}) c ORDER BY id`,
  );
  const onlyTeam =
    viewer.roles.includes('lead') && !viewer.roles.includes('admin') && !viewer.roles.includes('trainer');
  const operators = await q.query<{ id: string; display_name: string; team: string | null }>(
    `SELECT u.id, u.display_name, u.team FROM users u
      WHERE 'operator' = ANY(u.roles) AND u.deactivated_at IS NULL
        AND (NOT $2::boolean OR u.team IS NOT DISTINCT FROM (SELECT team FROM users WHERE id = $1) OR
             (SELECT team FROM users WHERE id = $1) IS NULL)
      ORDER BY u.display_name, u.id`,
    [viewer.id, onlyTeam],
  );
  const certs = await q.query<{
    user_id: string;
    module_id: string;
    major: number;
    score_percent: number | null;
    certified_at: Date;
  }>(
    `SELECT DISTINCT ON (user_id, module_id) user_id, module_id, major, score_percent, certified_at
       FROM certifications ORDER BY user_id, module_id, major DESC`,
  );
  const best = new Map(certs.map((c) => [`${c.user_id} ${c.module_id}`, c]));
  return {
    modules: modules.map((m) => ({ id: m.id, title: m.title, version: m.version, major: Number(m.major) })),
    operators: operators.map((o) => ({
      id: o.id,
      displayName: o.display_name,
      team: o.team,
      cells: modules.map((m) => {
        const c = best.get(`${o.id} ${m.id}`);
        if (!c)
          return {
            moduleId: m.id,
            status: 'none' as const,
            major: null,
            scorePercent: null,
            certifiedAt: null,
          };
        return {
          moduleId: m.id,
          status: Number(c.major) >= Number(m.major) ? ('certified' as const) : ('due' as const),
          major: Number(c.major),
          scorePercent: c.score_percent === null ? null : Number(c.score_percent),
          certifiedAt: c.certified_at.toISOString(),
        };
      }),
    })),
  };
}
