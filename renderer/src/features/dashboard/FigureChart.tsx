import { useMemo } from 'react';
import { Button } from '@blueprintjs/core';
import { AgCharts } from 'ag-charts-react';
import { AllCommunityModule, ModuleRegistry, type AgChartOptions } from 'ag-charts-community';
import type { ExceptionFilter } from '@shared/kpis/filters';
import { useUi } from '../../state/ui';

ModuleRegistry.registerModules([AllCommunityModule]);

export interface ChartBar {
  key: string;
  label: string;
}

export interface ChartRow {
  category: string;
  values: Readonly<Record<string, number>>;
  /** The filter behind each bar of this row, by bar key; absent bars are not drillable. */
  drills?: Readonly<Record<string, ExceptionFilter>>;
}

interface Props {
  id: string;
  title: string;
  bars: readonly ChartBar[];
  rows: readonly ChartRow[];
  kind?: 'bar' | 'line';
  /** How a value reads in the figure buttons ("97.50%", "12"). */
  format?: (value: number) => string;
  busy: string | null;
  onDrill(label: string, filter: ExceptionFilter): void;
}

const plain = (v: number) => new Intl.NumberFormat('en-US').format(v);

/**
 * One chart (AG Charts) and, under it, a button per figure: clicking a bar drills, and the
 * buttons are the keyboard's (and a screen reader's) way to the same figures and drill-downs.
 */
export function FigureChart({ id, title, bars, rows, kind = 'bar', format = plain, busy, onDrill }: Props) {
  const theme = useUi((s) => s.theme);
  const labelOf = (row: ChartRow, bar: ChartBar) =>
    bars.length > 1 ? `${title}: ${row.category}, ${bar.label}` : `${title}: ${row.category}`;
  const options = useMemo<AgChartOptions>(
    () => ({
      theme: theme === 'dark' ? 'ag-default-dark' : 'ag-default',
      background: { visible: false },
      height: 220,
      data: rows.map((r) => ({ category: r.category, ...r.values })),
      legend: { enabled: bars.length > 1 },
      // The figure buttons under the chart are the keyboard path to each drill-down.
      keyboard: { enabled: false },
      series: bars.map((bar) => {
        const common = {
          xKey: 'category',
          yKey: bar.key,
          yName: bar.label,
          listeners: {
            seriesNodeClick: (event: { datum: unknown }) => {
              const category = (event.datum as { category?: string }).category;
              const row = rows.find((r) => r.category === category);
              const filter = row?.drills?.[bar.key];
              if (row && filter) onDrill(labelOf(row, bar), filter);
            },
          },
        };
        return kind === 'line' ? { type: 'line' as const, ...common } : { type: 'bar' as const, ...common };
      }),
    }),
    // labelOf reads title and bars, both in the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [theme, rows, bars, kind, title, onDrill],
  );
  const headingId = `${id}-h`;
  return (
    <section className="ld-kpi-chart" aria-labelledby={headingId}>
      <h3 id={headingId} className="ld-kpi-chart-h">
        {title}
      </h3>
      {rows.length === 0 ? (
        <p className="ld-muted ld-small">Nothing counted in this period and scope.</p>
      ) : (
        <>
          <div className="ld-kpi-chart-canvas">
            <AgCharts options={options} />
          </div>
          <ul className="ld-kpi-figures" aria-label={`${title} figures`}>
            {rows.flatMap((row) =>
              bars.map((bar) => {
                const filter = row.drills?.[bar.key];
                const label = labelOf(row, bar);
                const text = `${bars.length > 1 ? `${row.category} ${bar.label}` : row.category}: ${format(row.values[bar.key] ?? 0)}`;
                return (
                  <li key={`${row.category}-${bar.key}`}>
                    {filter ? (
                      <Button
                        size="small"
                        variant="minimal"
                        loading={busy === label}
                        onClick={() => onDrill(label, filter)}
                      >
                        {text}
                      </Button>
                    ) : (
                      <span className="ld-small">{text}</span>
                    )}
                  </li>
                );
              }),
            )}
          </ul>
        </>
      )}
    </section>
  );
}
