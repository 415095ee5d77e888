import { useMemo } from 'react';
import { Button, HTMLTable } from '@blueprintjs/core';
import { STATUS_LABELS } from '@shared/exception-status';
import type { ExceptionFilter } from '@shared/kpis/filters';
import type { KpiReport } from '@shared/kpis/report';
import { formatCount, formatDate } from '../../lib/format';
import { formatAmount } from '../../lib/money-format';
import { FigureChart, type ChartBar, type ChartRow } from './FigureChart';
import { rateValue } from './kpi-format';

interface Props {
  report: KpiReport;
  busy: string | null;
  onDrill(label: string, filter: ExceptionFilter): void;
}

const COUNT: readonly ChartBar[] = [{ key: 'n', label: 'Items' }];
const COMPLETED: readonly ChartBar[] = [{ key: 'n', label: 'Completed' }];
const RATE: readonly ChartBar[] = [{ key: 'n', label: 'Automation rate' }];
const PARTNER: readonly ChartBar[] = [
  { key: 'escalations', label: 'Escalations' },
  { key: 'disputes', label: 'Disputes' },
];

const one = (category: string, n: number, drill?: ExceptionFilter): ChartRow => ({
  category,
  values: { n },
  ...(drill ? { drills: { n: drill } } : {}),
});

/** The charts behind the tiles: aging, throughput, automation by source, partners, backlog. */
export function KpiCharts({ report: r, busy, onDrill }: Props) {
  const rows = useMemo(
    () => ({
      aging: r.aging.buckets.map((b) => one(`${b.bucket} days`, b.count, b.drill)),
      perDay: r.throughput.perDay.map((d) => one(formatDate(d.day), d.completed, d.drill)),
      perOperator: r.throughput.perOperator.map((o) => one(o.name, o.completed, o.drill)),
      perTeam: r.throughput.perTeam.map((t) => one(t.team, t.completed, t.drill)),
      automation: r.automation.bySource.map((s) => one(s.source, rateValue(s.rate), s.drill)),
      backlog: r.backlog.byStatus.map((s) =>
        one(STATUS_LABELS[s.status], s.count, { ...r.backlog.drill, statuses: [s.status] }),
      ),
      partners: r.partners.map((p): ChartRow => ({
        category: p.partner,
        values: { escalations: p.escalations, disputes: p.disputes },
        drills: { escalations: p.escalationsDrill, disputes: p.disputesDrill },
      })),
    }),
    [r],
  );
  const common = { busy, onDrill };
  const charts: { id: string; title: string; bars: readonly ChartBar[]; rows: ChartRow[]; kind?: 'line' }[] =
    [
      { id: 'kpi-aging', title: 'Exception aging', bars: COUNT, rows: rows.aging },
      { id: 'kpi-backlog', title: 'Backlog by status', bars: COUNT, rows: rows.backlog },
      { id: 'kpi-per-day', title: 'Throughput per day', bars: COMPLETED, rows: rows.perDay, kind: 'line' },
      { id: 'kpi-per-operator', title: 'Throughput per operator', bars: COMPLETED, rows: rows.perOperator },
      { id: 'kpi-per-team', title: 'Throughput per team', bars: COMPLETED, rows: rows.perTeam },
      {
        id: 'kpi-partners',
        title: 'Escalations and disputes per partner',
        bars: PARTNER,
        rows: rows.partners,
      },
    ];
  return (
    <div className="ld-kpi-charts">
      {charts.map((c) => (
        <FigureChart key={c.id} {...c} {...common} />
      ))}
      <FigureChart
        id="kpi-automation"
        title="Automation rate by source"
        bars={RATE}
        rows={rows.automation}
        format={(v) => `${v.toFixed(2)}%`}
        {...common}
      />
      <AmountsAtRisk report={r} {...common} />
    </div>
  );
}

/** Money stays exact text with its currency: a table, never a chart's float axis. */
function AmountsAtRisk({ report, busy, onDrill }: Props) {
  return (
    <section className="ld-kpi-chart" aria-labelledby="kpi-risk-h">
      <h3 id="kpi-risk-h" className="ld-kpi-chart-h">
        Amounts at risk
      </h3>
      {report.amountsAtRisk.length === 0 ? (
        <p className="ld-muted ld-small">No unfinished variance in this scope.</p>
      ) : (
        <HTMLTable compact className="ld-kpi-risk" aria-labelledby="kpi-risk-h">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col" className="ld-num">
                Amount
              </th>
              <th scope="col" className="ld-num">
                Items
              </th>
            </tr>
          </thead>
          <tbody>
            {report.amountsAtRisk.map((a) => {
              const label = `Amounts at risk in ${a.currency}`;
              return (
                <tr key={a.currency}>
                  <th scope="row">{a.currency}</th>
                  <td className="ld-num" title={`${a.amount} ${a.currency}`}>
                    {formatAmount(a)}
                  </td>
                  <td className="ld-num">
                    <Button
                      size="small"
                      variant="minimal"
                      loading={busy === label}
                      onClick={() => onDrill(label, a.drill)}
                      aria-label={`${formatCount(a.items)} items at risk in ${a.currency}: show them`}
                    >
                      {formatCount(a.items)}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </HTMLTable>
      )}
    </section>
  );
}
