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
// Column widths come from the text length: AG Grid's fitCellContents measures every cell in the
// DOM, which cost more than the rest of opening an item. Cells are 12 px (mono ~7.3 px a character).
const CHAR_PX = 7.3;
const CELL_PADDING_PX = 26;
const MIN_COL_PX = 90;
const MAX_COL_PX = 340;

function widthFor(texts: Iterable<string>): number {
  let chars = 0;
  for (const t of texts) chars = Math.max(chars, t.length);
  return Math.round(Math.min(MAX_COL_PX, Math.max(MIN_COL_PX, chars * CHAR_PX + CELL_PADDING_PX)));
}

const leaveGrid = (): false => false;

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
        width: widthFor(['Reference', ...rows.map((r) => r.reference)]),
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
        minWidth: MIN_COL_PX,
        width: widthFor([name, ...rows.map((r) => r.fields[name] ?? '')]),
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
        // One Tab stop: Tab and Shift+Tab leave the grid (arrow keys move inside), instead of
        // walking every cell of every evidence source on the way to the checklist.
        tabToNextCell={leaveGrid}
        tabToNextHeader={leaveGrid}
        enableCellTextSelection
        suppressDragLeaveHidesColumns
      />
    </div>
  );
}
