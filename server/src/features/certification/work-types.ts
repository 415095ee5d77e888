import type { Queryable } from '../../db/types';

/**
 * `user_work_types` is what routing reads (get-next and the desk's prefetch, reassign, returned
 * write-offs, the team list). Here it is derived: an active operator may work a type when they
 * are certified on the current major version of a module that applies to it. The current
 * version of a module is its newest published version that is not retired.
 *
 * Rebuilt in the transaction that changes its inputs: a certification (that user, the module's
 * types), a publish or a retirement (every user, the module's types). `types` / `userIds` null
 * means all. Rows granted by hand (load fixtures, tests) are replaced the next time a module
 * covering their type is published or retired.
 */
export const CURRENT_MODULES_SQL = `
  SELECT DISTINCT ON (m.id) m.id, m.version, split_part(m.version, '.', 1)::int AS major, m.applies_to, m.title
    FROM sop_modules m
   WHERE NOT EXISTS (SELECT 1 FROM sop_retirements r WHERE r.module_id = m.id AND r.version = m.version)
   ORDER BY m.id, string_to_array(m.version, '.')::int[] DESC`;

export async function refreshWorkTypes(
  q: Queryable,
  scope: { types: readonly string[] | null; userIds: readonly string[] | null },
): Promise<void> {
  await q.query(
    `WITH cur AS (${CURRENT_MODULES_SQL}),
     want AS (
       SELECT DISTINCT c.user_id, t.type
         FROM certifications c
         JOIN cur ON cur.id = c.module_id AND cur.major = c.major
         CROSS JOIN LATERAL unnest(cur.applies_to) AS t(type)
         JOIN users u ON u.id = c.user_id AND u.deactivated_at IS NULL AND 'operator' = ANY(u.roles)
        WHERE ($1::text[] IS NULL OR t.type = ANY($1::text[]))
          AND ($2::text[] IS NULL OR c.user_id = ANY($2::text[]))
     ), gone AS (
       DELETE FROM user_work_types w
        WHERE ($1::text[] IS NULL OR w.type = ANY($1::text[]))
          AND ($2::text[] IS NULL OR w.user_id = ANY($2::text[]))
          AND NOT EXISTS (SELECT 1 FROM want x WHERE x.user_id = w.user_id AND x.type = w.type)
     )
     INSERT INTO user_work_types (user_id, type) SELECT user_id, type FROM want ON CONFLICT DO NOTHING`,
    [scope.types ? [...scope.types] : null, scope.userIds ? [...scope.userIds] : null],
  );
}
