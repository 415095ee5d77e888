import type { Note } from '@shared/api/notes';
import type { AuthUser } from '../../auth/auth-user';
import type { Queryable } from '../../db/types';
import { exceptionRowCondition } from './scope';

interface NoteRow {
  id: string;
  exception_id: string;
  user_id: string;
  author_name: string | null;
  occurred_at: Date;
  text: string;
}

/**
 * An item's notes, oldest first, for anyone who may read the item (an operator: only items
 * assigned to them); null when the item is absent or out of the caller's scope.
 */
export async function exceptionNotes(
  db: Queryable,
  user: AuthUser,
  exceptionId: string,
): Promise<Note[] | null> {
  const scope = exceptionRowCondition(user, 'e', 2);
  const visible = await db.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM exceptions e WHERE e.id = $1 AND (${scope.sql})) AS ok`,
    [exceptionId, ...scope.params],
  );
  if (!visible[0]?.ok) return null;
  const rows = await db.query<NoteRow>(
    `SELECT n.mutation_id AS id, n.exception_id, n.user_id, u.display_name AS author_name, n.occurred_at, n.text
       FROM exception_notes n LEFT JOIN users u ON u.id = n.user_id
      WHERE n.exception_id = $1
      ORDER BY n.occurred_at, n.id`,
    [exceptionId],
  );
  return rows.map((r) => ({
    id: r.id,
    exceptionId: r.exception_id,
    authorId: r.user_id,
    authorName: r.author_name,
    at: r.occurred_at.toISOString(),
    text: r.text,
  }));
}
