import { z } from 'zod';

export const ROLES = ['operator', 'qa', 'trainer', 'lead', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.object({
  id: z.string().min(1).max(64),
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(200),
  roles: z.array(roleSchema).min(1),
});
export type User = z.infer<typeof userSchema>;

/** The screens of the desktop app and who sees them. Navigation reads this, the server never does. */
export const SCREENS = ['queue', 'approvals', 'qa', 'sops', 'dashboard', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_ROLES: Readonly<Record<Screen, readonly Role[]>> = {
  queue: ['operator', 'lead', 'admin'],
  approvals: ['lead', 'admin'],
  qa: ['qa', 'lead', 'admin'],
  sops: ['trainer', 'lead', 'admin'],
  dashboard: ['lead', 'admin'],
  settings: ['operator', 'qa', 'trainer', 'lead', 'admin'],
};

export function screensFor(roles: readonly Role[]): Screen[] {
  return SCREENS.filter((s) => SCREEN_ROLES[s].some((r) => roles.includes(r)));
}
