import { z } from 'zod';

/**
 * Every bridge call answers with this envelope instead of throwing: Electron flattens thrown
 * errors into a prefixed string, and the renderer needs the code and the field-level issues.
 */
export const BRIDGE_ERROR_CODES = [
  'invalid_input',
  'unknown_channel',
  'forbidden_sender',
  'not_signed_in',
  'unauthorized',
  'not_found',
  'conflict',
  'offline',
  'server_error',
  'internal',
] as const;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];

export const bridgeIssueSchema = z.object({ path: z.string(), message: z.string() });
export type BridgeIssue = z.infer<typeof bridgeIssueSchema>;

export const bridgeErrorSchema = z.object({
  code: z.enum(BRIDGE_ERROR_CODES),
  message: z.string(),
  issues: z.array(bridgeIssueSchema).optional(),
});
export type BridgeError = z.infer<typeof bridgeErrorSchema>;

export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export function issuesFromZod(error: z.ZodError): BridgeIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
}
