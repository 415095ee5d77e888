import { z } from 'zod';

export const ROLES = ['operator', 'qa', 'trainer', 'lead', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Leads and admins supervise work: they release or reassign anyone's items and note any exception. */
export const SUPERVISOR_ROLES: readonly Role[] = ['lead', 'admin'];
export function supervises(roles: readonly Role[]): boolean {
  return roles.some((r) => SUPERVISOR_ROLES.includes(r));
}

export const userSchema = z.object({
  id: z.string().min(1).max(64),
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(200),
  roles: z.array(roleSchema).min(1),
});
export type User = z.infer<typeof userSchema>;
