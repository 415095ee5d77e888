import type { DeactivateResponse } from '@shared/api/users';
import { appendAudit } from '../../audit/log';
import type { AuthUser } from '../../auth/auth-user';
import type { Database } from '../../db/types';
import { conflict, notFound } from '../../http/api-error';
import { revokeAllSessions } from '../auth/refresh-tokens';
import { refreshWorkTypes } from '../certification/work-types';
import { returnLeasesOf } from './return-leases';

/**
 * Deactivates a user, ends all their sessions and returns their leased items to the queue in one
 * transaction, audited. The access-token
 * check (auth/session-liveness.ts) reads deactivated_at, so their next request is refused on every
 * server process; streams are closed by the sessions-ended notice on commit.
 */
export async function deactivateUser(
  db: Database,
  admin: AuthUser,
  userId: string,
  reason: string,
): Promise<DeactivateResponse> {
  if (userId === admin.id) throw conflict('you cannot deactivate your own account; ask another admin');
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ deactivated_at: Date; changed: boolean }>(
      `WITH target AS (SELECT id, deactivated_at FROM users WHERE id = $1 FOR UPDATE),
            upd AS (UPDATE users u SET deactivated_at = now() FROM target t
                     WHERE u.id = t.id AND t.deactivated_at IS NULL RETURNING u.deactivated_at)
       SELECT COALESCE((SELECT deactivated_at FROM upd), t.deactivated_at) AS deactivated_at,
              EXISTS (SELECT 1 FROM upd) AS changed
         FROM target t`,
      [userId],
    );
    const row = rows[0];
    if (!row) throw notFound('no such user');
    await revokeAllSessions(tx, userId);
    // Their work goes back to the queue now, not when the leases expire hours later.
    const returned = await returnLeasesOf(tx, userId, admin.id, `the holder was deactivated: ${reason}`);
    await refreshWorkTypes(tx, { types: null, userIds: [userId] });
    if (row.changed) {
      await appendAudit(tx, [
        {
          actorId: admin.id,
          action: 'user.deactivate',
          entity: 'user',
          entityId: userId,
          details: { reason, leasesReturned: returned },
        },
      ]);
    }
    return { id: userId, deactivatedAt: row.deactivated_at.toISOString() };
  });
}
