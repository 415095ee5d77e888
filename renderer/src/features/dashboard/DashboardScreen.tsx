import { useCallback, useEffect, useMemo, useState } from 'react';
import { Callout, H2, NonIdealState, Spinner, Tab, Tabs } from '@blueprintjs/core';
import type { KpiQuery } from '@shared/kpis/filters';
import type { KpiReport } from '@shared/kpis/report';
import { CHANNEL_LABELS } from '@shared/exception-types';
import { call, describeError } from '../../bridge';
import { formatDate } from '../../lib/format';
import { ClosePanel } from '../close/ClosePanel';
import { KpiCharts } from './KpiCharts';
import { KpiFilters } from './KpiFilters';
import { KpiTiles } from './KpiTiles';
import { useDrill } from './useDrill';

/** A lead's dashboard: the period's figures (drill into any of them) and the month-end close. */
export function DashboardScreen() {
  const [tab, setTab] = useState<'figures' | 'close'>('figures');
  return (
    <section className="ld-dashboard" aria-label="Dashboard">
      <Tabs
        id="dashboard-tabs"
        selectedTabId={tab}
        onChange={(t) => setTab(t === 'close' ? 'close' : 'figures')}
      >
        <Tab id="figures" title="Figures" panel={<FiguresPanel />} />
        <Tab id="close" title="Month-end close" panel={<ClosePanel />} />
      </Tabs>
    </section>
  );
}

function scopeWords(r: KpiReport): string {
  const s = r.scope;
  const parts = [`${formatDate(s.from)} to ${formatDate(s.to)}`];
  if (s.channel) parts.push(CHANNEL_LABELS[s.channel]);
  if (s.partner) parts.push(`partner ${s.partner}`);
  if (s.team) parts.push(`team ${s.team}`);
  if (s.operator) parts.push(`operator ${s.operator}`);
  return parts.join(' · ');
}

function FiguresPanel() {
  const [query, setQuery] = useState<KpiQuery>({});
  const [report, setReport] = useState<KpiReport | null>(null);
  const [partners, setPartners] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const { drill, busy, error: drillError } = useDrill();

  useEffect(() => {
    let cancelled = false;
    call('kpis.report', query)
      .then((r) => {
        if (cancelled) return;
        setReport(r);
        setError(null);
        // Suggestions only grow: narrowing to one partner must not hide the others from the list.
        setPartners((known) => [...new Set([...known, ...r.partners.map((p) => p.partner)])].sort());
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(describeError(e));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [query]);
  const apply = useCallback((q: KpiQuery) => {
    setLoading(true);
    setQuery(q);
  }, []);
  // The period the server defaulted to shows in the date fields, so a lead sees what is counted.
  const from = query.from ?? report?.scope.from;
  const to = query.to ?? report?.scope.to;
  const shown = useMemo(
    () => ({ ...query, ...(from ? { from } : {}), ...(to ? { to } : {}) }),
    [query, from, to],
  );

  return (
    <div className="ld-dashboard-figures">
      <KpiFilters value={shown} partners={partners} loading={loading} onApply={apply} />
      {error && (
        <Callout intent="danger" compact role="alert">
          The figures could not be read: {error}
        </Callout>
      )}
      {drillError && (
        <Callout intent="warning" compact role="alert">
          {drillError}
        </Callout>
      )}
      {!report && loading && <NonIdealState icon={<Spinner size={40} />} title="Reading the figures" />}
      {report && (
        <>
          <H2 className="ld-section-h" data-testid="kpi-scope">
            Figures: {scopeWords(report)}
          </H2>
          <KpiTiles report={report} busy={busy} onDrill={drill} />
          <KpiCharts report={report} busy={busy} onDrill={drill} />
        </>
      )}
    </div>
  );
}
