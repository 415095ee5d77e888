export interface ServerConfig {
  /** Reported by /api/health. */
  version: string;
  /** HS256 key material for access tokens; when absent the server keeps a generated one in server_settings. */
  jwtSecret?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * How long a lease lasts without renewal. A shift (10 h) by default: an operator who loses the
   * link at the start of a shift must still hold their prefetched items at its end. Renewed while
   * online; once expired (and only then) get-next may hand the item to someone else.
   */
  leaseTtlSeconds: number;
  /**
   * The SLA goal window: an item whose SLA deadline is less than this far away is past its
   * *goal* (Pega's goal / deadline / passed-deadline) and is allocated before calmer work of any
   * priority. See features/work/urgency.ts.
   */
  slaGoalWindowSeconds: number;
  /** Most leases one operator may hold at once (a generous shift's worth of prefetch). */
  maxLeasesPerOperator: number;
  /** The sync protocol versions served; default: the previous and the current one (shared/sync/protocol.ts). */
  syncProtocols?: { min: number; max: number };
}

export const SERVER_VERSION = '0.1.0';

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    version: SERVER_VERSION,
    accessTokenTtlSeconds: 15 * 60,
    // Operators work whole shifts offline; a refresh token must outlive a long weekend away.
    refreshTokenTtlSeconds: 14 * 24 * 3600,
    leaseTtlSeconds: 10 * 3600,
    slaGoalWindowSeconds: 24 * 3600,
    maxLeasesPerOperator: 400,
    ...overrides,
  };
}
