import { H2, NonIdealState } from '@blueprintjs/core';
import type { Screen } from '../../../shared/roles';
import { SCREEN_META } from '../components/nav';

/** Honest placeholders: what each screen will do, with no invented figures. */
const PLANNED: Partial<Record<Screen, { title: string; items: string[] }>> = {
  qa: {
    title: 'QA review is not built yet',
    items: [
      'A worklist of completed exceptions sampled for review (server-side, seeded, reproducible).',
      'Scoring each checklist step against the SOP module’s rubric, critical steps flagged.',
      'Pass closes the item; fail sends it back to the operator as rework with your feedback.',
      'You never review your own work.',
    ],
  },
  sops: {
    title: 'SOP modules are not built yet',
    items: [
      'Browse the SOP modules and their published versions (published versions are immutable).',
      'Load and validate a module: manifest, steps, conditions, QA rubric, practice exercises.',
      'Run practice exercises and record operator certifications per exception type.',
    ],
  },
  dashboard: {
    title: 'The dashboard is not built yet',
    items: [
      'Queue health: open items by type and channel, SLA breaches and items due within 24 h.',
      'Throughput, QA pass rate and rework by operator and team.',
      'Reassignment, write-off approvals above threshold and month-end close readiness.',
    ],
  },
};

export function PlaceholderScreen({ screen }: { screen: Screen }) {
  const meta = SCREEN_META[screen];
  const plan = PLANNED[screen];
  return (
    <section className="ld-placeholder" aria-labelledby="placeholder-h">
      <NonIdealState icon={meta.icon}>
        <H2 id="placeholder-h" className="ld-placeholder-h">
          {plan?.title ?? `${meta.label} is not built yet`}
        </H2>
        {plan && (
          <div className="ld-placeholder-body">
            <p>What will come here:</p>
            <ul>
              {plan.items.map((i) => (
                <li key={i}>{i}</li>
              ))}
            </ul>
          </div>
        )}
      </NonIdealState>
    </section>
  );
}
