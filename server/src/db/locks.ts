/**
 * Advisory lock keys, one place so no two features pick the same number by accident.
 * Arbitrary constants; they only have to be distinct and stable across releases.
 */
export const LOCK_MIGRATIONS = 4780_0001;
/** Held (transaction-scoped) around every change_feed insert so that seq order equals commit order. */
export const LOCK_CHANGE_FEED = 4780_0002;
/** Serialises demo seeding so the second of two servers starting together finds the data there. */
export const LOCK_DEMO_SEED = 4780_0003;
/**
 * Class key of the two-key advisory lock `(LOCK_PUSH_CLIENT, hashtext(client_id))` that
 * serialises pushes from one client: a retry racing its own first attempt waits, then finds the
 * mutations recorded and answers `duplicate` (two-key locks never collide with the keys above).
 */
export const LOCK_PUSH_CLIENT = 4780;
/**
 * Class key of `(LOCK_PUSH_USER, hashtext(user_id))`: idempotency is keyed by the signed-in
 * user across every client id, so one user's pushes are serialised too (taken after the client
 * lock, always in that order).
 */
export const LOCK_PUSH_USER = 4781;
/** Serialises reconciliation runs: two runs at once would both open the same new exceptions. */
export const LOCK_RECON = 4780_0004;
/** Serialises SOP publishes and retirements, so semver and type-ownership checks see each other. */
export const LOCK_SOP_LIBRARY = 4780_0014;
/** One merge of the KPI aggregates' delta rows at a time (features/kpis/aggregates.ts). */
export const LOCK_KPI_MERGE = 4780_0018;
