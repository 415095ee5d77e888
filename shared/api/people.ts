import { z } from 'zod';
import { roleSchema } from '../roles';
import { storableText } from '../text';

/** People administration (admin): create users, set roles and team, reset passwords. */

const roles = z
  .array(roleSchema)
  .min(1, 'give at least one role')
  .max(5)
  .refine((r) => new Set(r).size === r.length, 'a role is listed twice');
/** A team name, or null for none. Leads see the operators of their own team. */
const team = storableText(80, { min: 1, trim: true }).nullable();
/** Long enough to resist guessing; the admin hands it over and the user should change it. */
const password = storableText(200, { min: 12, minMessage: 'at least 12 characters' });

export const createUserRequestSchema = z
  .object({
    username: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9._-]{1,63}$/,
        'lower-case letters, digits, ".", "_" or "-", 2 to 64 characters',
      ),
    displayName: storableText(200, { min: 1, trim: true }),
    roles,
    team: team.default(null),
    password,
  })
  .strict();
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

export const setAccessRequestSchema = z
  .object({
    roles,
    team,
    /** Why, for the audit trail. */
    reason: storableText(500, { min: 1, trim: true }),
  })
  .strict();

export const resetPasswordRequestSchema = z.object({ password }).strict();

export const personSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  team: z.string().nullable(),
  active: z.boolean(),
});
export type Person = z.infer<typeof personSchema>;
export const personResponseSchema = z.object({ user: personSchema });
