import { z } from 'zod';
import { teamMemberSchema } from '../api/users';
import { exceptionHistorySchema } from '../api/exceptions';
import { exceptionIdInput, noInput, type ChannelSpec } from './channel-spec';

/** One item of a lead's bulk action: done, or why not (in the server's words). */
export const teamItemResultSchema = z.object({
  exceptionId: exceptionIdInput,
  ok: z.boolean(),
  message: z.string(),
});
export type TeamItemResult = z.infer<typeof teamItemResultSchema>;
/** Every item asked for, in the order asked; one failure never stops the rest. */
export const teamResultsSchema = z.object({ results: z.array(teamItemResultSchema) });
export type TeamResults = z.infer<typeof teamResultsSchema>;

/** The server answers each item in its own request, so a bulk action stays a lead-sized batch. */
export const MAX_TEAM_BATCH = 200;
const teamItemsInput = z.array(exceptionIdInput).min(1).max(MAX_TEAM_BATCH);
const teamReasonInput = z.string().trim().min(3, 'say why (at least 3 characters)').max(500);
export const teamReassignInputSchema = z
  .object({ exceptionIds: teamItemsInput, toUserId: z.string().min(1).max(64), reason: teamReasonInput })
  .strict();
export type TeamReassignInput = z.output<typeof teamReassignInputSchema>;
export const teamReleaseInputSchema = z
  .object({ exceptionIds: teamItemsInput, reason: teamReasonInput })
  .strict();
export type TeamReleaseInput = z.output<typeof teamReleaseInputSchema>;
export const teamOperatorsSchema = z.object({ operators: z.array(teamMemberSchema) });
export type TeamOperators = z.infer<typeof teamOperatorsSchema>;

/** A lead's actions on the team's work (online only). */
export const teamChannels = {
  /** Leads, online only: what happened to one exception (skips, reassigns, releases and why). */
  'exception.history': {
    input: z.object({ id: exceptionIdInput, limit: z.number().int().min(1).max(100).default(20) }).strict(),
    output: exceptionHistorySchema,
    access: 'online',
  },
  /** Leads, online only: operators and the exception types each may be allocated. */
  'team.operators': { input: noInput, output: teamOperatorsSchema, access: 'online' },
  /** Leads, online only: lease each item to one operator; answered per item. */
  'team.reassign': { input: teamReassignInputSchema, output: teamResultsSchema, access: 'online' },
  /** Leads, online only: put each item back in the queue; answered per item. */
  'team.release': { input: teamReleaseInputSchema, output: teamResultsSchema, access: 'online' },
} as const satisfies Record<string, ChannelSpec>;
