import type { TeamItemResult } from '@shared/ipc/channels';

/** What a finished team action reports: the verb for the items done and every item's answer. */
export interface TeamOutcome {
  /** "reassigned to Miguel Santos", "released to the queue". */
  done: string;
  results: TeamItemResult[];
}
