import { useCallback, useEffect, useState } from 'react';
import { Button, Callout, H2, NonIdealState, Spinner } from '@blueprintjs/core';
import type { MyKpis } from '@shared/kpis/report';
import { call, describeError } from '../../bridge';
import { formatCount, formatDate } from '../../lib/format';
import { formatRate, formatSeconds, rateBasis } from './kpi-format';
import { Tile, type TileProps } from './KpiTiles';

function tilesOf(mine: MyKpis): TileProps[] {
  return [
    {
      title: 'Completed',
      value: formatCount(mine.completed),
      detail: 'your items completed today (an approved one on approval)',
    },
    {
      title: 'Handle time (median)',
      value: formatSeconds(mine.handleTime.medianSeconds),
      detail: `p90 ${formatSeconds(mine.handleTime.p90Seconds)} over ${formatCount(mine.handleTime.count)} items`,
    },
    {
      title: 'QA accuracy',
      value: formatRate(mine.qa.accuracy),
      detail: `${rateBasis(mine.qa.accuracy)} reviews passed, last 30 days`,
    },
    {
      title: 'Critical errors',
      value: formatRate(mine.qa.criticalErrors),
      detail: `${rateBasis(mine.qa.criticalErrors)} reviews, last 30 days`,
    },
    {
      title: 'Certification',
      value: mine.certification === null ? 'Not recorded' : '',
      detail: 'Certifications show here once the server records them; ask your trainer meanwhile.',
    },
  ];
}

/**
 * An operator's own day, from the server (UTC day): what they completed, how long items took,
 * and how their reviewed work scored. Nobody else's figures show here.
 */
export function MyNumbersScreen() {
  const [mine, setMine] = useState<MyKpis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const load = useCallback(() => {
    call('kpis.me', {})
      .then((m) => (setMine(m), setError(null)))
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setLoading(false));
  }, []);
  useEffect(load, [load]);

  return (
    <section className="ld-my-numbers" aria-label="My numbers">
      <div className="ld-approvals-head">
        <H2 className="ld-section-h">{mine ? `Today, ${formatDate(mine.day)} (UTC)` : 'Today'}</H2>
        <Button
          size="small"
          variant="minimal"
          icon="refresh"
          loading={loading}
          onClick={() => (setLoading(true), load())}
        >
          Refresh
        </Button>
      </div>
      {error && (
        <Callout intent="warning" compact role="alert">
          Your figures could not be read: {error}
        </Callout>
      )}
      {!mine && loading && <NonIdealState icon={<Spinner size={40} />} title="Reading your figures" />}
      {mine && (
        <ul className="ld-kpi-tiles" aria-label="Your figures today" data-testid="my-numbers">
          {tilesOf(mine).map((t) => (
            <li key={t.title}>
              <Tile {...t} />
            </li>
          ))}
        </ul>
      )}
      <p className="ld-small ld-muted">
        QA feedback on a reviewed item reaches you with the item when it is returned for rework.
      </p>
    </section>
  );
}
