export const name = 'skip_cooldown';

/**
 * Who last skipped an item and when (the server's receive time): get-next does not hand it back
 * to that operator within the skip cool-down (config.skipCooldownSeconds), so "back in the team
 * queue" is true and not the skipper's own queue the same minute. Additive: desks and servers on
 * the previous schema ignore the columns.
 */
export const sql = `
ALTER TABLE exceptions ADD COLUMN skipped_by text REFERENCES users (id);
ALTER TABLE exceptions ADD COLUMN skipped_at timestamptz;
`;
