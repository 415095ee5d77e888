import { useMemo } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef } from 'ag-grid-community';
import type { SopVersionSummary } from '@shared/api/sop-library';
import { EXCEPTION_TYPE_LABELS } from '@shared/exception-types';
import { gridTheme, registerGridModules } from '../../lib/grid';

registerGridModules();

export interface LibraryRow extends SopVersionSummary {
  key: string;
  /** Operators certified on this version's major (null: the matrix is not loaded). */
  certified: number | null;
  /** What an operator will notice, from this session's load of the version; else empty. */
  changed: string;
}

export const rowKey = (v: { moduleId: string; version: string }): string => `${v.moduleId}@${v.version}`;

const STATE_WORDS = { draft: 'Draft', published: 'Published', retired: 'Retired' } as const;
const leaveGrid = (): false => false;

/**
 * Every module version, one row each. Arrow keys move the focused row and it becomes the selected
 * one, so the screen's Alt keys act on what the keyboard is on; Tab leaves the grid.
 */
export function SopLibraryGrid({ rows, onFocusRow }: { rows: LibraryRow[]; onFocusRow(key: string): void }) {
  const columnDefs = useMemo<ColDef<LibraryRow>[]>(
    () => [
      { field: 'moduleId', headerName: 'Module', cellClass: 'ld-mono', width: 170 },
      { field: 'title', headerName: 'Title', flex: 1, minWidth: 120 },
      { field: 'version', headerName: 'Version', cellClass: 'ld-mono', width: 80 },
      {
        field: 'state',
        headerName: 'State',
        width: 90,
        valueFormatter: (p) => (p.value ? STATE_WORDS[p.value as SopVersionSummary['state']] : ''),
        cellClass: (p) => `ld-sop-state-${String(p.value)}`,
      },
      {
        colId: 'types',
        headerName: 'Exception types',
        flex: 1,
        minWidth: 120,
        valueGetter: (p) => p.data?.appliesTo.map((t) => EXCEPTION_TYPE_LABELS[t]).join(', ') ?? '',
        tooltipValueGetter: (p) => p.data?.appliesTo.join(', '),
      },
      {
        field: 'certified',
        headerName: 'Certified',
        headerTooltip: 'Operators certified on this major version',
        width: 80,
        type: 'rightAligned',
        valueFormatter: (p) => (p.value === null || p.value === undefined ? '—' : String(p.value)),
      },
      {
        field: 'changed',
        headerName: 'What changed',
        flex: 1,
        minWidth: 120,
        tooltipValueGetter: (p) => p.data?.changed || undefined,
      },
    ],
    [],
  );
  return (
    <div
      className="ld-sop-grid"
      data-testid="sop-library-grid"
      role="region"
      aria-label="SOP module versions"
    >
      <AgGridReact<LibraryRow>
        theme={gridTheme}
        loadThemeGoogleFonts={false}
        rowData={rows}
        columnDefs={columnDefs}
        defaultColDef={{ resizable: true, sortable: true, suppressHeaderMenuButton: true }}
        getRowId={(p) => p.data.key}
        rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
        onCellFocused={(e) => {
          if (e.rowIndex === null || e.rowIndex === undefined) return;
          const node = e.api.getDisplayedRowAtIndex(e.rowIndex);
          if (!node?.data) return;
          node.setSelected(true, true);
          onFocusRow(node.data.key);
        }}
        tabToNextCell={leaveGrid}
        tabToNextHeader={leaveGrid}
        enableCellTextSelection
      />
    </div>
  );
}
