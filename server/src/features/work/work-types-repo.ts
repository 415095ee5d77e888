import { EXCEPTION_TYPES, exceptionTypeSchema, type ExceptionType } from '@shared/exception-types';
import type { Queryable } from '../../db/types';

/**
 * The exception types a user may be allocated. Granted by hand or by the demo seed today; SOP
 * certification will grant and revoke rows here, so routing reads one table either way.
 */
export async function grantWorkTypes(
  db: Queryable,
  userId: string,
  types: readonly ExceptionType[],
): Promise<void> {
  if (types.length === 0) return;
  await db.query(
    `INSERT INTO user_work_types (user_id, type) SELECT $1, t FROM unnest($2::text[]) AS t
     ON CONFLICT DO NOTHING`,
    [userId, [...types]],
  );
}

export async function workTypesOf(db: Queryable, userId: string): Promise<ExceptionType[]> {
  const rows = await db.query<{ type: string }>(
    'SELECT type FROM user_work_types WHERE user_id = $1 ORDER BY type',
    [userId],
  );
  return rows.map((r) => exceptionTypeSchema.parse(r.type));
}

export const ALL_WORK_TYPES: readonly ExceptionType[] = EXCEPTION_TYPES;
