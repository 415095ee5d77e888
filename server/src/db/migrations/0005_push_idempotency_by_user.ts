export const name = 'push_idempotency_by_user';

/**
 * Push idempotency keyed by the signed-in user (a mutation id another user sent first, under any
 * client id, no longer answers for yours), with a hash of what was sent so the same id re-used
 * for different content is refused rather than silently called a duplicate; and the lookup
 * behind "a later batch may not carry a lower seq" per (user, client).
 *
 * Not unique: rows from before this release may repeat a (user, mutation id) under two client
 * ids; pushes are serialised per user (LOCK_PUSH_USER), so new rows never do.
 */
export const sql = `
ALTER TABLE sync_mutations ADD COLUMN content_hash text;
CREATE INDEX sync_mutations_user_mutation ON sync_mutations (user_id, mutation_id);
CREATE INDEX sync_mutations_user_client_seq ON sync_mutations (user_id, client_id, client_seq);
`;
