import { z } from 'zod';
import { userSchema } from '../roles';
import { storableText } from '../text';

export const loginRequestSchema = z
  .object({
    username: storableText(64, { min: 1, trim: true }),
    password: storableText(256, { min: 1 }),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(20).max(512) }).strict();
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

export const tokenResponseSchema = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  refreshToken: z.string(),
  user: userSchema,
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * POST /api/auth/logout: ends the session the refresh token belongs to (every refresh token of its
 * family, every access token issued from them, and its open event streams). An unknown or spent
 * token is answered the same way (RFC 7009), so the answer tells nothing about the token.
 */
export const logoutRequestSchema = z.object({ refreshToken: z.string().min(20).max(512) }).strict();
export type LogoutRequest = z.infer<typeof logoutRequestSchema>;

export const logoutResponseSchema = z.object({ signedOut: z.literal(true) });
export type LogoutResponse = z.infer<typeof logoutResponseSchema>;
