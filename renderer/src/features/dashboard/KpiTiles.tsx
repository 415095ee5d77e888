import type { ReactNode } from 'react';
import type { ExceptionFilter } from '@shared/kpis/filters';
import type { KpiReport } from '@shared/kpis/report';
import { formatCount } from '../../lib/format';
import { formatRate, formatSeconds, rateBasis } from './kpi-format';

export interface TileProps {
  title: string;
  value: string;
  detail: ReactNode;
  /** Present: the tile is a button that opens the items behind the figure in the queue. */
  onDrill?: (() => void) | undefined;
  busy?: boolean;
}

export function Tile({ title, value, detail, onDrill, busy }: TileProps) {
  const body = (
    <>
      <span className="ld-kpi-tile-title">{title}</span>
      <span className="ld-kpi-tile-value">{value}</span>
      <span className="ld-kpi-tile-detail">{detail}</span>
    </>
  );
  if (!onDrill) return <div className="ld-kpi-tile">{body}</div>;
  return (
    <button
      type="button"
      className="ld-kpi-tile ld-kpi-tile-drill"
      onClick={onDrill}
      aria-busy={busy}
      title={`Show the items behind ${title} in the queue`}
    >
      {body}
    </button>
  );
}

interface Props {
  report: KpiReport;
  busy: string | null;
  onDrill(label: string, filter: ExceptionFilter): void;
}

/** The headline figures, each a button onto its items where the server names them. */
export function KpiTiles({ report: r, busy, onDrill }: Props) {
  const drill = (label: string, filter: ExceptionFilter) => () => onDrill(label, filter);
  const tiles: TileProps[] = [
    {
      title: 'Billing accuracy',
      value: formatRate(r.billingAccuracy.invoices),
      detail: `invoices ${rateBasis(r.billingAccuracy.invoices)}; credit memos ${formatRate(r.billingAccuracy.creditMemos)}, rebills ${formatRate(r.billingAccuracy.rebills)}`,
      onDrill: drill('Billing accuracy', r.billingAccuracy.drill),
    },
    {
      title: 'Automation rate',
      value: formatRate(r.automation.total),
      detail: `${rateBasis(r.automation.total)} lines`,
    },
    {
      title: 'First-pass yield',
      value: formatRate(r.firstPassYield.rate),
      detail: rateBasis(r.firstPassYield.rate),
      onDrill: drill('First-pass yield', r.firstPassYield.drill),
    },
    { title: 'QA accuracy', value: formatRate(r.qa.accuracy), detail: `${rateBasis(r.qa.accuracy)} reviews` },
    {
      title: 'Critical-error rate',
      value: formatRate(r.qa.criticalErrors),
      detail: `${rateBasis(r.qa.criticalErrors)} reviews`,
    },
    {
      title: 'SLA attainment',
      value: formatRate(r.slaAttainment.rate),
      detail: rateBasis(r.slaAttainment.rate),
      onDrill: drill('SLA attainment', r.slaAttainment.drill),
    },
    {
      title: 'Cycle time (median)',
      value: formatSeconds(r.cycleTime.medianSeconds),
      detail: `p90 ${formatSeconds(r.cycleTime.p90Seconds)} over ${formatCount(r.cycleTime.count)} items`,
      onDrill: drill('Cycle time', r.cycleTime.drill),
    },
    {
      title: 'Handle time (median)',
      value: formatSeconds(r.handleTime.medianSeconds),
      detail: `p90 ${formatSeconds(r.handleTime.p90Seconds)} over ${formatCount(r.handleTime.count)} items`,
      onDrill: drill('Handle time', r.handleTime.drill),
    },
    {
      title: 'Backlog',
      value: formatCount(r.backlog.total),
      detail: 'items still needing work',
      onDrill: drill('Backlog', r.backlog.drill),
    },
  ];
  return (
    <ul className="ld-kpi-tiles" aria-label="Headline figures">
      {tiles.map((t) => (
        <li key={t.title}>
          <Tile {...t} busy={busy === t.title} />
        </li>
      ))}
    </ul>
  );
}
