import type { ExceptionHistory } from '@shared/api/exceptions';
import type { TeamMember } from '@shared/api/users';
import type { TeamItemResult, TeamResults, TeamReassignInput, TeamReleaseInput } from '@shared/ipc/channels';
import { ServerError, type AccessTokenSource, type ServerClient } from '../session/server-client';
import { toBridgeFailure } from '../session/server-failure';

/**
 * A lead's actions on other people's work. They are controls, decided by the server at once and
 * never queued offline: a reassign made from a stale local copy could hand away finished work.
 */
export interface TeamService {
  operators(): Promise<TeamMember[]>;
  history(exceptionId: string, limit: number): Promise<ExceptionHistory>;
  reassign(input: TeamReassignInput): Promise<TeamResults>;
  release(input: TeamReleaseInput): Promise<TeamResults>;
}

export interface TeamServiceOptions {
  /** The signed-in user's server client; throws when signed out. */
  client(): ServerClient;
  tokens: AccessTokenSource;
  /** Something changed on the server: pull it, so the lead's queue shows it. */
  onChanged(): void;
}

export function createTeamService({ client, tokens, onChanged }: TeamServiceOptions): TeamService {
  /**
   * Runs `act` item by item. A refusal (409, 404, a 5xx on one item) is that item's answer and the
   * rest still run; losing the link or the session would fail every later item the same way, so
   * those are not tried and say why.
   */
  async function eachItem(
    ids: readonly string[],
    act: (id: string) => Promise<string>,
  ): Promise<TeamResults> {
    const results: TeamItemResult[] = [];
    let stoppedBy: string | null = null;
    for (const exceptionId of [...new Set(ids)]) {
      if (stoppedBy) {
        results.push({ exceptionId, ok: false, message: `not tried: ${stoppedBy}` });
        continue;
      }
      try {
        results.push({ exceptionId, ok: true, message: await act(exceptionId) });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof ServerError && (err.isConnectivity || err.kind === 'unauthorized'))
          stoppedBy = message;
        results.push({ exceptionId, ok: false, message });
      }
    }
    if (results.some((r) => r.ok)) onChanged();
    return { results };
  }

  return {
    async operators() {
      try {
        return (await client().users('operator', tokens)).users;
      } catch (err) {
        throw toBridgeFailure(err);
      }
    },
    async history(exceptionId, limit) {
      try {
        return await client().exceptionHistory(exceptionId, limit, tokens);
      } catch (err) {
        throw toBridgeFailure(err);
      }
    },
    reassign: ({ exceptionIds, toUserId, reason }) =>
      eachItem(exceptionIds, async (exceptionId) => {
        const { lease } = await client().reassign({ exceptionId, toUserId, reason }, tokens);
        return `reassigned to ${lease.userId}`;
      }),
    release: ({ exceptionIds, reason }) =>
      eachItem(exceptionIds, async (exceptionId) => {
        await client().release({ exceptionId, reason }, tokens);
        return 'back in the queue';
      }),
  };
}
