import { z } from 'zod';
import type { Queryable } from '../db/types';

/** The NOTIFY channel that tells every server process to close the event streams of ended sessions. */
export const SESSIONS_ENDED_CHANNEL = 'ledgerdesk_sessions_ended';

/** `sessionId` null: every session of the user (deactivation). */
export const sessionsEndedSchema = z.object({ userId: z.string(), sessionId: z.string().nullable() });
export type SessionsEnded = z.infer<typeof sessionsEndedSchema>;

/**
 * Announces, inside the transaction that ended them, that sessions ended: NOTIFY is delivered on
 * commit to every process on the database, so a stream held open on another server is closed too.
 * Access tokens need no announcement: every request asks the database (session-liveness.ts).
 */
export async function announceSessionsEnded(tx: Queryable, ended: SessionsEnded): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [SESSIONS_ENDED_CHANNEL, JSON.stringify(ended)]);
}
