import { z } from 'zod';
import { exceptionTypeSchema } from '../exception-types';
import { roleSchema, userSchema } from '../roles';

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
});
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const usersResponseSchema = z.object({ users: z.array(teamMemberSchema) });
export type UsersResponse = z.infer<typeof usersResponseSchema>;
