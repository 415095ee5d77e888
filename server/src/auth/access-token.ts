import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { roleSchema } from '@shared/roles';
import type { AuthUser, SignedInUser } from './auth-user';
import type { SessionLiveness } from './session-liveness';

const ISSUER = 'ledgerdesk';
const AUDIENCE = 'ledgerdesk-api';

const claimsSchema = z.object({
  sub: z.string().min(1),
  username: z.string().min(1),
  roles: z.array(roleSchema).min(1),
  /** The refresh-token family the token was issued from; a token without one cannot be revoked, so is refused. */
  sid: z.string().min(1),
});

/**
 * Verified tokens kept: every request of an operator carries the same token for its lifetime, and
 * HMAC verification through WebCrypto was a fifth of get-next's server CPU (measured). A token's
 * claims cannot change, so a hit answers exactly as a fresh verification would, until it expires.
 * Whether its session is still live can change, so that is asked every time (`liveness`).
 */
const VERIFIED_TOKENS = 20_000;

interface Verified {
  user: SignedInUser;
  expiresAtMs: number;
}

export class AccessTokens {
  private readonly verified = new LRUCache<string, Verified>({ max: VERIFIED_TOKENS });

  /** A KeyObject made once: handing jose raw bytes re-imports the key on every verify (measured in get-next's profile). */
  private readonly key: KeyObject;

  /**
   * `liveness` is required wherever tokens are accepted (the server); a tool that only issues
   * tokens (load fixtures, benches) may leave it out, and then `verify` checks signatures only.
   */
  constructor(
    secret: string,
    readonly ttlSeconds: number,
    private readonly liveness?: SessionLiveness,
  ) {
    if (secret.length < 32) throw new Error('the JWT secret must be at least 32 characters');
    this.key = createSecretKey(new TextEncoder().encode(secret));
  }

  issue(user: AuthUser, sessionId: string): Promise<string> {
    return new SignJWT({ username: user.username, roles: user.roles, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /**
   * The user the token names, or null when it is malformed, forged, expired, for another audience,
   * or its session has ended (logout, refresh-token reuse, user deactivated).
   */
  async verify(token: string): Promise<SignedInUser | null> {
    const user = await this.verifySignature(token);
    if (!user || !this.liveness) return user;
    return (await this.liveness(user.id, user.sessionId)) ? user : null;
  }

  /** Whether the session of a user admitted earlier is still live (long-lived streams ask again). */
  async sessionLive(user: SignedInUser): Promise<boolean> {
    return this.liveness ? this.liveness(user.id, user.sessionId) : true;
  }

  private async verifySignature(token: string): Promise<SignedInUser | null> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return known.user;
      this.verified.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return null;
      const user: SignedInUser = {
        id: claims.data.sub,
        username: claims.data.username,
        roles: claims.data.roles,
        sessionId: claims.data.sid,
      };
      // Every token issued here has exp, which jose has just checked; one without it is not kept.
      if (payload.exp !== undefined) this.verified.set(token, { user, expiresAtMs: payload.exp * 1000 });
      return user;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }
}
