export interface ServerConfig {
  /** Reported by /api/health. */
  version: string;
  /** HS256 key material for access tokens; when absent the server keeps a generated one in server_settings. */
  jwtSecret?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export const SERVER_VERSION = '0.1.0';

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    version: SERVER_VERSION,
    accessTokenTtlSeconds: 15 * 60,
    // Operators work whole shifts offline; a refresh token must outlive a long weekend away.
    refreshTokenTtlSeconds: 14 * 24 * 3600,
    ...overrides,
  };
}
