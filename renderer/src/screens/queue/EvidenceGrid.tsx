import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import type { Evidence } from '../../../../shared/exception';
import { gridTheme, registerGridModules } from '../../lib/grid';
import { formatDateTime } from '../../lib/format';

registerGridModules();

const ROW_H = 26;
const HEADER_H = 28;
const SCROLLBAR_H = 14;
const MAX_VISIBLE_ROWS = 8;

/**
 * The rows of one evidence source, with the columns exactly as the partner or system named
 * them. Names can hold spaces and dots ("Customer Billed Amount"), so columns read the field
 * by key (valueGetter) rather than as an AG Grid field path.
 */
export function EvidenceGrid({ rows, label }: { rows: Evidence[]; label: string }) {
  const columnDefs = useMemo<ColDef<Evidence>[]>(() => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      for (const k of Object.keys(r.fields)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    }
    return [
      {
        colId: '__reference',
        headerName: 'Reference',
        valueGetter: (p) => p.data?.reference ?? '',
        pinned: 'left',
        cellClass: 'ld-mono',
        width: 150,
      },
      {
        colId: '__received',
        headerName: 'Received',
        valueGetter: (p) => (p.data ? formatDateTime(p.data.receivedAt) : ''),
        width: 140,
      },
      ...names.map<ColDef<Evidence>>((name) => ({
        colId: `f:${name}`,
        headerName: name,
        headerTooltip: name,
        valueGetter: (p) => p.data?.fields[name] ?? '',
        cellClass: 'ld-mono',
        minWidth: 90,
      })),
    ];
  }, [rows]);

  return (
    // A fixed height from the row count (autoHeight keeps a tall empty minimum); long lists scroll.
    <div
      className="ld-evidence-grid"
      aria-label={`${label} evidence rows`}
      role="region"
      style={{ height: HEADER_H + Math.min(rows.length, MAX_VISIBLE_ROWS) * ROW_H + SCROLLBAR_H + 2 }}
    >
      <AgGridReact<Evidence>
        theme={gridTheme}
        loadThemeGoogleFonts={false}
        rowData={rows}
        columnDefs={columnDefs}
        defaultColDef={{ resizable: true, sortable: false, suppressHeaderMenuButton: true }}
        rowHeight={ROW_H}
        headerHeight={HEADER_H}
        getRowId={(p) => p.data.id}
        autoSizeStrategy={{ type: 'fitCellContents' }}
        enableCellTextSelection
        suppressDragLeaveHidesColumns
      />
    </div>
  );
}
