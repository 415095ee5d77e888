import { RELEASE } from '@shared/release';
import { DEFAULT_SLA_GOAL_WINDOW_SECONDS } from '@shared/urgency';
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
  /**
   * How long a skipped item is not offered again to the operator who skipped it (get-next, the
   * desk's prefetch included); everyone else may take it at once. LEDGERDESK_SKIP_COOLDOWN_SECONDS.
   */
  skipCooldownSeconds: number;
  /** Most leases one operator may hold at once (a generous shift's worth of prefetch). */
  maxLeasesPerOperator: number;
  /** Failed sign-ins allowed per account and per client address; see features/auth/login-throttle.ts. */
  loginThrottle: LoginThrottlePolicy;
  /**
   * Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For is believed
   * (LEDGERDESK_TRUSTED_PROXIES, comma-separated). Empty: the client address is the socket's, and
   * any X-Forwarded-For is ignored, so a caller cannot choose the address its attempts count against.
   */
  trustedProxies: readonly string[];
  /** Open event streams one user may hold on one server process (429 beyond). */
  maxEventStreamsPerUser: number;
  /**
   * A client must send its headers, and then its whole body, within this many ms; a slower one is
   * cut off so trickling clients cannot hold sockets open. Responses (event streams) are not bound.
   */
  clientTimeoutMs: number;
  /** The sync protocol versions served; default: the previous and the current one (shared/sync/protocol.ts). */
  syncProtocols?: { min: number; max: number };
}

export interface LoginThrottlePolicy {
  /** Failed attempts per account within `windowSeconds`; the next one is refused and locks. */
  accountLimit: number;
  /** The same per client address, higher: an office may share one address. */
  addressLimit: number;
  windowSeconds: number;
  /** The first lockout; each further one without a successful sign-in doubles, up to the max. */
  lockoutSeconds: number;
  maxLockoutSeconds: number;
}

export const SERVER_VERSION = RELEASE;

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    version: SERVER_VERSION,
    accessTokenTtlSeconds: 15 * 60,
    // Operators work whole shifts offline; a refresh token must outlive a long weekend away.
    refreshTokenTtlSeconds: 14 * 24 * 3600,
    leaseTtlSeconds: 10 * 3600,
    slaGoalWindowSeconds: DEFAULT_SLA_GOAL_WINDOW_SECONDS,
    maxLeasesPerOperator: 400,
    // A shift's worth of other work first: long enough that the skipper meets it again only
    // when nobody else has taken it, short enough that it is not lost to them for the day.
    skipCooldownSeconds: 4 * 3600,
    // OWASP ASVS 2.2.1: bounded attempts per account and per address, with growing lockouts.
    loginThrottle: {
      accountLimit: 20,
      addressLimit: 100,
      windowSeconds: 60,
      lockoutSeconds: 60,
      maxLockoutSeconds: 15 * 60,
    },
    trustedProxies: [],
    maxEventStreamsPerUser: 5,
    clientTimeoutMs: 15_000,
    ...overrides,
  };
}
