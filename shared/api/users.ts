import { z } from 'zod';
import { exceptionTypeSchema } from '../exception-types';
import { roleSchema, userSchema } from '../roles';
import { storableText } from '../text';

export const usersQuerySchema = z
  .object({
    /** Only users holding this role (a lead picking whom to hand work to asks for operators). */
    role: roleSchema.optional(),
  })
  .strict();
export type UsersQuery = z.infer<typeof usersQuerySchema>;

/** A user as a lead sees them: who they are and what work they may be allocated. */
export const teamMemberSchema = userSchema.extend({
  /** From user_work_types: the exception types get-next and reassign allow for this user. */
  workTypes: z.array(exceptionTypeSchema),
  /** The team they belong to (null: none); absent from servers before issue 14. */
  team: z.string().nullable().optional(),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const usersResponseSchema = z.object({ users: z.array(teamMemberSchema) });
export type UsersResponse = z.infer<typeof usersResponseSchema>;

export const userIdParamsSchema = z.object({ id: storableText(128, { min: 1 }) });
export type UserIdParams = z.infer<typeof userIdParamsSchema>;

/**
 * POST /api/users/:id/deactivate (admin): the user can no longer sign in, and every session they
 * hold ends at once: refresh tokens revoked, access tokens refused from the next request on, open
 * event streams closed. Deactivating an already deactivated user answers its first time.
 */
export const deactivateRequestSchema = z
  .object({
    /** Why, for the audit trail (e.g. "left the company", "laptop stolen"). */
    reason: storableText(500, { min: 1, trim: true }),
  })
  .strict();
export type DeactivateRequest = z.infer<typeof deactivateRequestSchema>;

export const deactivateResponseSchema = z.object({ id: z.string(), deactivatedAt: z.string() });
export type DeactivateResponse = z.infer<typeof deactivateResponseSchema>;
