import { useCallback, useEffect, useState } from 'react';
import { Button, Callout, H2, NonIdealState, Spinner } from '@blueprintjs/core';
import type { MyKpis } from '@shared/kpis/report';
import { call, describeError } from '../../bridge';
import { formatCount, formatDate } from '../../lib/format';
import { formatRate, formatSeconds, rateBasis } from './kpi-format';

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
          <li className="ld-kpi-tile">
            <span className="ld-kpi-tile-title">Completed</span>
            <span className="ld-kpi-tile-value">{formatCount(mine.completed)}</span>
            <span className="ld-kpi-tile-detail">
              your items completed today (an approved one on approval)
            </span>
          </li>
          <li className="ld-kpi-tile">
            <span className="ld-kpi-tile-title">Handle time (median)</span>
            <span className="ld-kpi-tile-value">{formatSeconds(mine.handleTime.medianSeconds)}</span>
            <span className="ld-kpi-tile-detail">
              p90 {formatSeconds(mine.handleTime.p90Seconds)} over {formatCount(mine.handleTime.count)} items
            </span>
          </li>
          <li className="ld-kpi-tile">
            <span className="ld-kpi-tile-title">QA accuracy</span>
            <span className="ld-kpi-tile-value">{formatRate(mine.qa.accuracy)}</span>
            <span className="ld-kpi-tile-detail">
              {rateBasis(mine.qa.accuracy)} reviews passed, last 30 days
            </span>
          </li>
          <li className="ld-kpi-tile">
            <span className="ld-kpi-tile-title">Critical errors</span>
            <span className="ld-kpi-tile-value">{formatRate(mine.qa.criticalErrors)}</span>
            <span className="ld-kpi-tile-detail">
              {rateBasis(mine.qa.criticalErrors)} reviews, last 30 days
            </span>
          </li>
          <li className="ld-kpi-tile">
            <span className="ld-kpi-tile-title">Certification</span>
            <span className="ld-kpi-tile-value">{mine.certification === null ? 'Not recorded' : ''}</span>
            <span className="ld-kpi-tile-detail">
              Certifications show here once the server records them; ask your trainer meanwhile.
            </span>
          </li>
        </ul>
      )}
      <p className="ld-small ld-muted">
        QA feedback on a reviewed item reaches you with the item when it is returned for rework.
      </p>
    </section>
  );
}
