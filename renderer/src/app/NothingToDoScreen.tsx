import { H2 } from '@blueprintjs/core';
import type { Role } from '@shared/roles';
import { plannedScreensFor, screenEntry, type Screen } from './screens';

/** What each screen not built yet will do, with no invented figures. */
const PLANNED: Partial<Record<Screen, { title: string; items: string[] }>> = {
  qa: {
    title: 'QA review',
    items: [
      'A worklist of completed exceptions sampled for review (server-side, seeded, reproducible).',
      'Scoring each checklist step against the SOP module’s rubric, critical steps flagged.',
      'Pass closes the item; fail sends it back to the operator as rework with your feedback.',
      'You never review your own work.',
    ],
  },
  dashboard: {
    title: 'Dashboard',
    items: [
      'Queue health: open items by type and channel, SLA breaches and items due within 24 h.',
      'Throughput, QA pass rate and rework by operator and team.',
      'Reassignment, write-off approvals above threshold and month-end close readiness.',
    ],
  },
};

const ROLE_LABELS: Readonly<Record<Role, string>> = {
  operator: 'an operator',
  qa: 'a QA reviewer',
  trainer: 'a trainer',
  lead: 'a lead',
  admin: 'an admin',
};

/**
 * Shown on sign-in to a user whose roles have no screen with work in it yet (a QA reviewer, a
 * trainer): said plainly, with what is coming, instead of an empty app.
 */
export function NothingToDoScreen({ roles }: { roles: readonly Role[] }) {
  const coming = plannedScreensFor(roles);
  return (
    <section className="ld-nothing-yet" aria-labelledby="nothing-yet-h">
      <H2 id="nothing-yet-h" className="ld-nothing-yet-h">
        Nothing to do in Ledgerdesk for your role yet
      </H2>
      <p>
        You are signed in as {roles.map((r) => ROLE_LABELS[r]).join(' and ')}. The screens for that work are
        not built in this version, so nothing is waiting for you here and nothing is wrong with your account.
        Settings work as usual; your lead will say when your screens arrive.
      </p>
      {coming.map((s) => {
        const plan = PLANNED[s];
        return (
          <div key={s} className="ld-nothing-yet-plan">
            <h3>{plan?.title ?? screenEntry(s).label}: what will come</h3>
            {plan && (
              <ul>
                {plan.items.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </section>
  );
}
