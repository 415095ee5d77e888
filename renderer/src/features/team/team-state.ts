import { create } from 'zustand';
import type { TeamMember } from '@shared/api/users';
import { call, describeError } from '../../bridge';

/** The operators a lead can hand work to, read from the server once per sign-in (and on demand). */
interface TeamState {
  operators: TeamMember[] | null;
  /** Display names by user id, for the Assignee column. */
  names: ReadonlyMap<string, string>;
  error: string | null;
  load(): Promise<void>;
  reset(): void;
}

export const useTeam = create<TeamState>()((set) => ({
  operators: null,
  names: new Map(),
  error: null,
  async load() {
    try {
      const { operators } = await call('team.operators', {});
      set({ operators, names: new Map(operators.map((o) => [o.id, o.displayName])), error: null });
    } catch (e) {
      set({ error: describeError(e) });
    }
  },
  reset: () => set({ operators: null, names: new Map(), error: null }),
}));

/** Leads and admins supervise the team's work; operators never see these controls. */
export function isSupervisorRole(roles: readonly string[] | undefined): boolean {
  return !!roles && (roles.includes('lead') || roles.includes('admin'));
}
