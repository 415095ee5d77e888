import {
  CellStyleModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  RenderApiModule,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  TooltipModule,
  themeBalham,
  type Theme,
} from 'ag-grid-community';

let registered = false;

/** Register only the AG Grid modules the app uses (keeps the bundle lean). Idempotent. */
export function registerGridModules(): void {
  if (registered) return;
  registered = true;
  ModuleRegistry.registerModules([
    InfiniteRowModelModule,
    ClientSideRowModelModule,
    CellStyleModule,
    RowStyleModule,
    RowSelectionModule,
    // forEachNode (Ctrl+A over the loaded rows) and refreshCells (assignee names arriving).
    RowApiModule,
    RenderApiModule,
    ScrollApiModule,
    ColumnAutoSizeModule,
    TooltipModule,
    // getColumnState / applyColumnState: the header's sort arrow and the store's order agree.
    ColumnApiModule,
  ]);
}

const FONT = [
  '-apple-system',
  'BlinkMacSystemFont',
  'Segoe UI',
  'Inter',
  'Roboto',
  'Helvetica Neue',
  'Arial',
  'sans-serif',
];

/**
 * Balham, compact, aligned with Blueprint's palette. Light and dark params are both declared;
 * the body's `data-ag-theme-mode` picks one (App sets it with the Blueprint dark class).
 */
export const gridTheme: Theme = themeBalham
  .withParams({
    fontFamily: FONT,
    fontSize: 12,
    headerFontSize: 11,
    headerFontWeight: 600,
    spacing: 3,
    rowHeight: 26,
    headerHeight: 28,
    cellHorizontalPadding: 8,
    wrapperBorderRadius: 0,
    borderColor: '#d3d8de',
    backgroundColor: '#ffffff',
    foregroundColor: '#1c2127',
    headerBackgroundColor: '#f6f7f9',
    headerTextColor: '#404854',
    oddRowBackgroundColor: '#fbfbfc',
    rowHoverColor: '#edf1f7',
    accentColor: '#2d72d2',
    selectedRowBackgroundColor: '#dbe7f8',
  })
  .withParams(
    {
      borderColor: '#383e47',
      backgroundColor: '#252a31',
      foregroundColor: '#f6f7f9',
      headerBackgroundColor: '#2f343c',
      headerTextColor: '#c5cbd3',
      oddRowBackgroundColor: '#282d35',
      rowHoverColor: '#303842',
      accentColor: '#4c90f0',
      selectedRowBackgroundColor: '#2b3e5a',
      browserColorScheme: 'dark',
    },
    'dark',
  );
